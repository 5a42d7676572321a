/** A very small DOM toolkit: h() builds elements (text via textContent only), forms read fields. */

type Child = Node | string | null | undefined | false;
type Props = Record<string, any>;

export function h(tag: string, props: Props = {}, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'value' || key === 'checked') {
      (el as any)[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      el.append(child);
    }
  }
  return el;
}

/** A labelled input; `name` is also the test id. */
export function field(label: string, input: HTMLElement): HTMLElement {
  return h('label', {class: 'field'}, h('span', {}, label), input);
}

export function input(name: string, props: Props = {}): HTMLInputElement {
  return h('input', {name, 'data-testid': name, ...props}) as HTMLInputElement;
}

export function select(name: string, options: [string, string][], value?: string): HTMLSelectElement {
  const el = h('select', {name, 'data-testid': name},
    ...options.map(([v, label]) => h('option', {value: v}, label))) as HTMLSelectElement;
  if (value !== undefined) {
    el.value = value;
  }
  return el;
}

export function button(label: string, onClick: (e: Event) => void, props: Props = {}): HTMLElement {
  return h('button', {type: 'button', onClick, ...props}, label);
}

/** A message area for errors ("error") or news ("ok"); role=alert so it is read out. */
export function message(): HTMLElement & {show(text: string, kind?: 'error' | 'ok'): void} {
  const el = h('p', {class: 'message', role: 'alert', 'data-testid': 'message', hidden: true}) as any;
  el.show = (text: string, kind: 'error' | 'ok' = 'error') => {
    el.textContent = text;
    el.className = `message ${kind}`;
    el.hidden = !text;
  };
  return el;
}

/** Replace the content of the main area with a screen. */
export function mount(title: string, ...children: Child[]): void {
  const main = document.getElementById('screen')!;
  main.replaceChildren(h('h1', {}, title), ...children.filter(Boolean) as Node[]);
  window.scrollTo(0, 0);
}

/**
 * A check that the screen shown now is still the one shown when an action started: an action
 * that finishes after the owner moved on (a save, then a tap on another tab) must not bring its
 * screen back over the new one. Its data is saved either way.
 */
export function screenMark(): () => boolean {
  const screen = document.getElementById('screen')!;
  const mark = screen.firstChild;
  return () => screen.firstChild === mark;
}
