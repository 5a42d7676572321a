/** Start-up: service worker, persistent storage, the stored login and sync, and the screens. */
import './style.css';
import {onLanguage, t} from './i18n';
import {loadSession} from './db';
import {deviceReplaced, loginScreen, replacedScreen, signupScreen} from './ui/auth';
import {billingScreen} from './ui/billing';
import {itemsScreen} from './ui/catalog';
import {h} from './ui/dom';
import {customersScreen, duesScreen, todayScreen} from './ui/sales';
import {settingsScreen} from './ui/settings';
import {ownerScreen} from './ui/owner';
import {drawStatus, storage} from './ui/status';
import {app, go, refreshState} from './state';
import {loadStatus, onPulled, onStatus, startSync, status} from './sync';

const SCREENS: Record<string, () => unknown> = {
  bill: billingScreen, items: () => itemsScreen(), dues: duesScreen, today: todayScreen,
  customers: customersScreen, login: () => loginScreen(), signup: signupScreen, replaced: replacedScreen,
  settings: () => settingsScreen(),
  owner: ownerScreen,
};
const OPEN = ['login', 'signup', 'replaced'];

let routing = 0;

async function route(): Promise<void> {
  const seq = ++routing;
  // nothing of the previous screen stays tappable while this one loads
  const screen = document.getElementById('screen')!;
  screen.replaceChildren(h('p', {}, t.loading));
  // which route is the latest and whether it has drawn its screen (what a test waits for)
  screen.dataset.routing = String(seq);
  delete screen.dataset.routed;
  await refreshState();
  if (seq !== routing) {
    return; // the owner went elsewhere meanwhile
  }
  let name = location.hash.replace(/^#\//, '') || 'bill';
  if (!app.session && !OPEN.includes(name)) {
    name = 'signup';
  } else if (status.stopped && !OPEN.includes(name)) {
    name = 'replaced';
  }
  document.querySelector('nav')!.hidden = !app.session;
  document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('active', b.getAttribute('data-route') === (name === 'settings' ? 'owner' : name)));
  routeBusy = true;
  pulledMeanwhile = false;
  try {
    await (SCREENS[name] ?? billingScreen)();
  } finally {
    routeBusy = false;
  }
  markRouted(name, seq);
  if (pulledMeanwhile && seq === routing) {
    redrawAfterPull(); // the screen may have read the data before the pull wrote it
  }
}

// A pull that brought documents (a new phone's first sync, another device's changes) redraws the
// screen, unless the owner has started on it (typed or tapped) or moved into one of its forms.
const REDRAWN = ['bill', 'items', 'dues', 'today', 'customers'];
let routed: {name: string; first: ChildNode | null; touched: boolean} | null = null;
let routeBusy = false;
let pulledMeanwhile = false;

function markRouted(name: string, seq: number): void {
  const screen = document.getElementById('screen')!;
  routed = {name, first: screen.firstChild, touched: false};
  if (seq === routing) {
    screen.dataset.routed = String(seq);
  }
}

function redrawAfterPull(): void {
  if (routeBusy) {
    pulledMeanwhile = true;
    return;
  }
  const screen = document.getElementById('screen')!;
  if (routed && !routed.touched && REDRAWN.includes(routed.name) && screen.firstChild === routed.first) {
    void route();
  }
}

function watchTouches(): void {
  const screen = document.getElementById('screen')!;
  const touched = () => { if (routed) { routed.touched = true; } };
  screen.addEventListener('input', touched);
  screen.addEventListener('click', touched);
}

function nav(): HTMLElement {
  const tabs = ['bill', 'items', 'dues', 'today', 'customers', 'owner'] as const;
  return h('nav', {id: 'nav'}, ...tabs.map((r) => h('button', {type: 'button', 'data-route': r,
    'data-testid': `nav-${r}`, onClick: () => go(r)}, t.nav[r])));
}

/** A language switch redraws everything in the new words: the tabs, the sync bar, the screen. */
function redrawInLanguage(): void {
  const old = document.getElementById('nav')!;
  const fresh = nav();
  fresh.hidden = old.hidden;
  old.replaceWith(fresh);
  drawStatus();
  void route();
}

async function askPersistentStorage(): Promise<void> {
  if (navigator.storage?.persist) {
    storage.persisted = await navigator.storage.persisted() || await navigator.storage.persist();
  } else {
    storage.persisted = false;
  }
  drawStatus();
}

async function start(): Promise<void> {
  document.getElementById('nav')!.replaceWith(nav());
  onLanguage(redrawInLanguage);
  onStatus(drawStatus);
  onPulled(redrawAfterPull);
  watchTouches();
  window.addEventListener('hashchange', () => void route());
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js').catch((err) => console.warn('service worker:', err));
  }
  await loadStatus();
  await askPersistentStorage();
  const session = await loadSession();
  if (session) {
    await startSync(session, deviceReplaced);
  }
  await route();
  document.body.dataset.started = 'true';
  setInterval(drawStatus, 30000);
}

void start();
