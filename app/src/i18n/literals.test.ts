/**
 * No words in code: every word a screen shows comes from the catalogues (en.ts, hi.ts). The
 * TypeScript parser reads each module that draws or says something and reports
 *  - a literal with a letter in it that reaches the screen: h() children, button() and field()
 *    labels, mount(), select() option labels, msg.show(), append/prepend/replaceChildren, the
 *    placeholder/title/aria-label/alt props, `.textContent =` and the like, the messages of
 *    MoneyError and ApiError (shown to the owner), fill() templates;
 *  - anywhere else, a literal that reads as words (a capitalised word, or two words), since such a
 *    literal on its way to the screen through a variable would escape the first rule.
 * Literals that are not words for people (CSS class names, test ids, codes) sit where neither rule
 * looks. The few remaining exceptions are listed in ALLOWED with the reason.
 */
import ts from 'typescript';
import {describe, expect, test} from 'vitest';

export interface Finding {
  file: string;
  line: number;
  text: string;
  rule: 'screen' | 'words';
}

// modules that put nothing on the screen: money's invariants (caught and said in the catalogue's
// words by billing.ts), the PDF writer's syntax, the database and the figures
const SILENT = new Set(['money.ts', 'pdf.ts', 'db.ts', 'figures.ts']);

// `file: literal` and why it may stay
const ALLOWED: Record<string, string> = {
  'invoice-pdf.ts: system-ui, "Noto Sans", "Noto Sans Devanagari", "Noto Sans Tamil", sans-serif': 'font names',
  'sync.ts: sync stalled': 'an internal error: sync retries, the bar says "offline"',
  'upi.ts: crispEdges': 'an SVG attribute value (the QR image)',
};
// the GST state table (gst.ts STATES): the official English names, data compared with the print
// page's; the screens show the catalogue's names (`print.states`) when it has them
const DATA_FILES = new Set(['gst.ts']);

const SCREEN_CALLS: Record<string, (args: readonly ts.Expression[]) => ts.Expression[]> = {
  h: (a) => a.slice(2),
  button: (a) => a.slice(0, 1),
  field: (a) => a.slice(0, 1),
  mount: (a) => [...a],
  fill: (a) => a.slice(0, 1),
};
// message.show(text, kind): the text; the others: every argument
const SCREEN_METHODS = new Set(['append', 'prepend', 'replaceChildren', 'before', 'after', 'alert', 'confirm', 'prompt']);
const VISIBLE_PROPS = new Set(['placeholder', 'title', 'aria-label', 'alt', 'label']);
const VISIBLE_ASSIGN = new Set(['textContent', 'innerText', 'innerHTML', 'placeholder', 'title', 'ariaLabel', 'alt']);
const MESSAGE_ERRORS: Record<string, number> = {MoneyError: 0, ApiError: 2};
// object keys whose values are for the browser or the server, never for people
const CODE_KEYS = new Set(['class', 'type', 'name', 'data-testid', 'autocomplete', 'inputmode', 'autocapitalize',
  'spellcheck', 'rel', 'target', 'href', 'src', 'download', 'id', 'role', 'method', 'Authorization',
  'X-CouchDB-WWW-Authenticate', 'Content-Type']);

// methods whose string arguments are names for the browser: selectors, header and storage keys
const CODE_METHODS = new Set(['querySelector', 'querySelectorAll', 'closest', 'matches', 'getElementById', 'get',
  'has', 'getItem', 'setItem', 'removeItem']);

const LETTER = /\p{L}/u;
const WORDS = /\p{Lu}\p{Ll}+|\p{L}{2,}\s+\p{L}{2,}/u;

function texts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return [node.text];
  }
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  }
  return [];
}

function keyName(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : '';
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const e = call.expression;
  return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
}

/** Literals in what an expression evaluates to (its branches, concatenations, template parts,
 * arrays), not in the calls or functions inside it, which are checked where they are. */
function reaching(node: ts.Node, out: ts.Node[]): void {
  if (texts(node).length) {
    out.push(node);
  }
  if (ts.isTemplateExpression(node)) {
    node.templateSpans.forEach((s) => reaching(s.expression, out));
  } else if (ts.isConditionalExpression(node)) {
    reaching(node.whenTrue, out);
    reaching(node.whenFalse, out);
  } else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.BarBarToken,
    ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(node.operatorToken.kind)) {
    reaching(node.left, out);
    reaching(node.right, out);
  } else if (ts.isParenthesizedExpression(node) || ts.isSpreadElement(node) || ts.isAsExpression(node)) {
    reaching(node.expression, out);
  } else if (ts.isArrayLiteralExpression(node)) {
    node.elements.forEach((e) => reaching(e, out));
  }
}

/** The literals with words that `source` (the module `file`) would show. */
export function wordsInCode(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: Finding[] = [];
  const onScreen = new Set<ts.Node>();
  const report = (node: ts.Node, rule: Finding['rule']) => {
    const text = texts(node).join('${}');
    if (`${file}: ${text}` in ALLOWED) {
      return;
    }
    found.push({file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text, rule});
  };
  const screen = (expr: ts.Node | undefined) => {
    if (!expr) {
      return;
    }
    const reached: ts.Node[] = [];
    reaching(expr, reached);
    for (const lit of reached) {
      onScreen.add(lit);
      if (texts(lit).some((s) => LETTER.test(s))) {
        report(lit, 'screen');
      }
    }
  };
  const visibleProps = (expr: ts.Expression | undefined) => {
    if (expr && ts.isObjectLiteralExpression(expr)) {
      expr.properties.filter(ts.isPropertyAssignment).filter((p) => VISIBLE_PROPS.has(keyName(p.name)))
        .forEach((p) => screen(p.initializer));
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      const direct = ts.isIdentifier(node.expression);
      if (direct && name in SCREEN_CALLS) {
        SCREEN_CALLS[name](node.arguments).forEach(screen);
      }
      if (direct && (name === 'h' || name === 'input')) {
        visibleProps(node.arguments[1]);
      }
      if (direct && name === 'button') {
        visibleProps(node.arguments[2]);
      }
      if (direct && name === 'select' && node.arguments[1] && ts.isArrayLiteralExpression(node.arguments[1])) {
        node.arguments[1].elements.forEach((o) => ts.isArrayLiteralExpression(o) && screen(o.elements[1]));
      }
      if (!direct && SCREEN_METHODS.has(name)) {
        node.arguments.forEach(screen);
      }
      if (!direct && name === 'show') {
        screen(node.arguments[0]);
      }
      if (name === 'setAttribute' && node.arguments[0] && VISIBLE_PROPS.has(texts(node.arguments[0])[0] ?? '')) {
        screen(node.arguments[1]);
      }
    } else if (ts.isNewExpression(node) && calleeName(node) in MESSAGE_ERRORS) {
      screen(node.arguments?.[MESSAGE_ERRORS[calleeName(node)]]);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken
      && ts.isPropertyAccessExpression(node.left) && VISIBLE_ASSIGN.has(node.left.name.text)) {
      screen(node.right);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const exempt = (node: ts.Node): boolean => {
    const p = node.parent;
    return ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p)
      || (ts.isPropertyAssignment(p) && p.initializer === node && CODE_KEYS.has(keyName(p.name)))
      || (ts.isPropertyAssignment(p) && p.name === node)
      || (ts.isBinaryExpression(p) && [ts.SyntaxKind.EqualsEqualsEqualsToken,
        ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.InKeyword].includes(p.operatorToken.kind))
      || (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression)
        && (CODE_METHODS.has(p.expression.name.text)
          || (ts.isIdentifier(p.expression.expression) && p.expression.expression.text === 'console')));
  };
  const everywhere = (node: ts.Node) => {
    if (texts(node).some((s) => WORDS.test(s)) && !onScreen.has(node) && !exempt(node)
      && !DATA_FILES.has(file)) {
      report(node, 'words');
    }
    ts.forEachChild(node, everywhere);
  };
  everywhere(sf);
  return found;
}

const SOURCES = import.meta.glob(['../*.ts', '../ui/*.ts'], {query: '?raw', import: 'default', eager: true});

describe('no words in code', () => {
  const files = Object.entries(SOURCES).map(([path, text]) => [path.replace(/^\.\.\//, ''), text] as const)
    .filter(([path]) => !path.endsWith('.test.ts') && !path.endsWith('.d.ts') && !SILENT.has(path));

  test('the screens and what they say are read', () => {
    const names = files.map(([path]) => path);
    for (const expected of ['ui/auth.ts', 'ui/billing.ts', 'ui/catalog.ts', 'ui/invoice.ts', 'ui/owner.ts',
      'ui/sales.ts', 'ui/settings.ts', 'ui/status.ts', 'main.ts', 'share.ts', 'shop.ts', 'api.ts', 'rest.ts']) {
      expect(names).toContain(expected);
    }
  });

  test('every word shown comes from a catalogue', () => {
    const found = files.flatMap(([path, text]) => wordsInCode(path, text));
    expect(found).toEqual([]);
  });
});

describe('the check finds a word put back', () => {
  const cases: [string, string][] = [
    ['an h() child', "h('p', {}, 'Nothing is due.')"],
    ['an h() child in a branch', "h('p', {}, ok ? t.allSent : 'Not sent')"],
    ['a template in an h() child', "h('span', {}, `${n} items`)"],
    ['a button label', "button('Save', save)"],
    ['a field label', "field('Shop name', name)"],
    ['a screen title', "mount('Items', list)"],
    ['a placeholder', "input('q', {placeholder: 'search'})"],
    ['an option label', "select('unit', [['kg', 'kilogram']])"],
    ['a message', "msg.show('saved')"],
    ['textContent', "el.textContent = 'done'"],
    ['an error shown to the owner', "throw new MoneyError('too much')"],
    ['words in a variable', "const label = 'Paid in full';"],
    ['a capitalised word in a table', "const tabs = [['bill', 'Bill']];"],
    ['a fill template', "fill('Invoice {number}', {number})"],
  ];
  test.each(cases)('%s', (_what, code) => {
    expect(wordsInCode('ui/x.ts', code)).not.toEqual([]);
  });

  test('codes, classes, test ids and catalogue words pass', () => {
    expect(wordsInCode('ui/x.ts', `h('p', {class: 'note known', 'data-testid': 'known-customer'}, t.allSent);
      if (kind === 'pct') { go('bill'); }
      button(t.save, save, {class: 'primary method', 'data-testid': 'save'});
      h('span', {}, \`\${rupees(p)}/\${unitName(u)}\`);`)).toEqual([]);
  });
});
