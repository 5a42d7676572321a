'use strict';
/**
 * `$regex` in linear time: JavaScript's RegExp backtracks, so `^(a+)+$` over 31 characters held
 * this one-process server (every shop) for 18 s. Patterns are compiled to a Thompson NFA and
 * simulated over the subject once, all threads in step: time O(subject × program), whatever the
 * pattern. Syntax and verdicts are JavaScript's (no flags) on "byte strings" (one char per UTF-8
 * byte, as mango-ops gives them). Back-references and lookbehind have no linear algorithm and
 * are refused (RegexError); lookaheads are evaluated once per position and cached.
 * Speed, because a Mango VDU runs ~50 regexes per written doc: a pattern whose assertions depend
 * on the position alone (`^`, `$`, and the schemas' `(?![\s\S])` and `(?=[\s\S]*[X])`, read as
 * position tests) runs on a DFA built lazily from its threads and kept (one table lookup per
 * char); one char class is a plain scan; the rest runs on the threads.
 * A program is at most MAX_PROGRAM instructions (`x{1000}` copies x), and a lookahead nested in
 * a loop can cost subject² steps, so one test stops after MAX_STEPS and answers "no match", as
 * Erlang's `re` (Apache CouchDB) answers nomatch past its match limit.
 */

const MAX_PROGRAM = 20000;
const MAX_STEPS = 5000000;

class RegexError extends Error {}

const SET = 0;
const SPLIT = 1;
const JMP = 2;
const ASSERT = 3;
const LOOK = 4;
const MATCH = 5;

function charSet(test) {
  const bits = new Uint8Array(256);
  for (let c = 0; c < 256; c += 1) bits[c] = test(c) ? 1 : 0;
  return bits;
}

const isDigit = (c) => c >= 48 && c <= 57;
const isWord = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c) => (c >= 9 && c <= 13) || c === 32 || c === 0xa0;
const CLASSES = {
  d: isDigit, D: (c) => !isDigit(c), w: isWord, W: (c) => !isWord(c), s: isSpace, S: (c) => !isSpace(c),
};
const CONTROL = { t: 9, n: 10, v: 11, f: 12, r: 13 };

/** Parses JavaScript regex syntax into a small tree. */
class Parser {
  constructor(pattern) {
    this.p = pattern;
    this.i = 0;
  }

  fail(what) {
    throw new RegexError(`${what} at ${this.i} in ${JSON.stringify(this.p)}`);
  }

  parse() {
    const node = this.alternation();
    if (this.i < this.p.length) this.fail("unmatched ')'");
    return node;
  }

  alternation() {
    const items = [this.sequence()];
    while (this.p[this.i] === '|') {
      this.i += 1;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  }

  sequence() {
    const items = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return { t: 'cat', items };
  }

  quantified(atom) {
    const ch = this.p[this.i];
    let min;
    let max;
    if (ch === '*' || ch === '+' || ch === '?') {
      [min, max] = ch === '*' ? [0, Infinity] : ch === '+' ? [1, Infinity] : [0, 1];
      this.i += 1;
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m) return atom; // a literal `{`, as JavaScript reads it
      min = parseInt(m[1], 10);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : parseInt(m[3], 10);
      if (max < min) this.fail('numbers out of order in {} quantifier');
      this.i += m[0].length;
    } else {
      return atom;
    }
    if (atom.t === 'assert') this.fail('nothing to repeat');
    if (this.p[this.i] === '?') this.i += 1; // lazy: the same verdict for a test
    return { t: 'rep', node: atom, min, max };
  }

  atom() {
    const ch = this.p[this.i];
    this.i += 1;
    switch (ch) {
      case '^': return { t: 'assert', kind: 'bol' };
      case '$': return { t: 'assert', kind: 'eol' };
      case '.': return { t: 'set', bits: charSet((c) => c !== 10 && c !== 13) };
      case '[': return this.charClass();
      case '(': return this.group();
      case '\\': return this.escape(false);
      case '*': case '+': case '?': return this.fail('nothing to repeat');
      default: return { t: 'set', bits: charSet((c) => c === ch.charCodeAt(0)) };
    }
  }

  group() {
    let kind = 'group';
    if (this.p.startsWith('?:', this.i)) {
      this.i += 2;
    } else if (this.p.startsWith('?=', this.i) || this.p.startsWith('?!', this.i)) {
      kind = this.p[this.i + 1] === '=' ? 'ahead' : 'not_ahead';
      this.i += 2;
    } else if (this.p.startsWith('?<=', this.i) || this.p.startsWith('?<!', this.i)) {
      this.fail('lookbehind is not supported');
    } else if (this.p[this.i] === '?') {
      const m = /^\?<[A-Za-z_$][\w$]*>/.exec(this.p.slice(this.i));
      if (!m) this.fail('invalid group');
      this.i += m[0].length;
    }
    const node = this.alternation();
    if (this.p[this.i] !== ')') this.fail('unterminated group');
    this.i += 1;
    return kind === 'group' ? node : { t: 'look', negated: kind === 'not_ahead', node };
  }

  // One escape, in a class (`\b` is a backspace there) or outside (`\b` is a word boundary).
  escape(inClass) {
    const ch = this.p[this.i];
    if (ch === undefined) this.fail('\\ at end of pattern');
    this.i += 1;
    if (CLASSES[ch]) return { t: 'set', bits: charSet(CLASSES[ch]) };
    if (!inClass && (ch === 'b' || ch === 'B')) return { t: 'assert', kind: ch === 'b' ? 'word' : 'not_word' };
    if (ch >= '1' && ch <= '9') this.fail('back-references are not supported');
    if (ch === 'k' && this.p[this.i] === '<') this.fail('back-references are not supported');
    let code = ch.charCodeAt(0);
    if (CONTROL[ch]) code = CONTROL[ch];
    else if (ch === 'b') code = 8;
    else if (ch === '0' && !/[0-9]/.test(this.p[this.i] || '')) code = 0;
    else if (ch === 'x' && /^[0-9A-Fa-f]{2}/.test(this.p.slice(this.i, this.i + 2))) {
      code = parseInt(this.p.slice(this.i, this.i + 2), 16);
      this.i += 2;
    } else if (ch === 'u' && /^[0-9A-Fa-f]{4}/.test(this.p.slice(this.i, this.i + 4))) {
      code = parseInt(this.p.slice(this.i, this.i + 4), 16); // above 255: never in a byte string
      this.i += 4;
    } else if (ch === 'c' && /^[A-Za-z]/.test(this.p[this.i] || '')) {
      code = this.p.charCodeAt(this.i) % 32;
      this.i += 1;
    }
    return { t: 'set', bits: charSet((c) => c === code), code };
  }

  charClass() {
    const negated = this.p[this.i] === '^';
    if (negated) this.i += 1;
    const bits = new Uint8Array(256);
    while (this.p[this.i] !== ']') {
      if (this.i >= this.p.length) this.fail('unterminated character class');
      const low = this.classAtom();
      if (this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.i + 1 < this.p.length) {
        this.i += 1;
        const high = this.classAtom();
        if (low.code === undefined || high.code === undefined) {
          [low, high].forEach((a) => a.bits.forEach((b, c) => { if (b) bits[c] = 1; }));
          bits[45] = 1; // `-` itself, as JavaScript reads `[\d-x]`
        } else {
          if (high.code < low.code) this.fail('range out of order in character class');
          for (let c = low.code; c <= Math.min(high.code, 255); c += 1) bits[c] = 1;
        }
      } else {
        low.bits.forEach((b, c) => { if (b) bits[c] = 1; });
      }
    }
    this.i += 1;
    return { t: 'set', bits: negated ? bits.map((b) => 1 - b) : bits };
  }

  classAtom() {
    const ch = this.p[this.i];
    this.i += 1;
    if (ch === '\\') return this.escape(true);
    const code = ch.charCodeAt(0);
    return { t: 'set', bits: charSet((c) => c === code), code };
  }
}

const isAnyChar = (n) => n.t === 'set' && n.bits.every((b) => b === 1);

/** The two lookaheads the schemas' patterns use on every string, as tests of the position alone
 * (no sub-program to run): `(?![\s\S])` is the end of the subject, `(?=[\s\S]*[X])` holds
 * before the last char in X. Null for any other lookahead. */
function positionTest(n) {
  const body = n.node.t === 'cat' && n.node.items.length === 1 ? n.node.items[0] : n.node;
  if (n.negated && isAnyChar(body)) return { kind: 'eos', bits: 0 };
  const items = body.t === 'cat' ? body.items : [];
  if (!n.negated && items.length === 2 && items[0].t === 'rep' && items[0].min === 0
      && items[0].max === Infinity && isAnyChar(items[0].node) && items[1].t === 'set') {
    return { kind: 'ahead_set', bits: items[1].bits };
  }
  return null;
}

/** Compiles a tree into a program: arrays of opcodes and two arguments; lookaheads apart. */
class Compiler {
  constructor(looks, size) {
    this.op = [];
    this.a = [];
    this.b = [];
    this.looks = looks; // shared by every (sub)program: index -> {program, negated}
    this.size = size; // shared: {count} of the instructions of every (sub)program
  }

  emit(op, a, b) {
    this.size.count += 1;
    if (this.size.count > MAX_PROGRAM) {
      throw new RegexError(`pattern too complex (over ${MAX_PROGRAM} instructions)`);
    }
    this.op.push(op);
    this.a.push(a);
    this.b.push(b);
    return this.op.length - 1;
  }

  node(n) {
    switch (n.t) {
      case 'set': this.emit(SET, n.bits, 0); break;
      case 'cat': n.items.forEach((item) => this.node(item)); break;
      case 'assert': this.emit(ASSERT, n.kind, 0); break;
      case 'alt': {
        const jumps = [];
        n.items.forEach((item, k) => {
          if (k < n.items.length - 1) {
            const split = this.emit(SPLIT, 0, 0);
            this.a[split] = split + 1;
            this.node(item);
            jumps.push(this.emit(JMP, 0, 0));
            this.b[split] = this.op.length;
          } else {
            this.node(item);
          }
        });
        jumps.forEach((j) => { this.a[j] = this.op.length; });
        break;
      }
      case 'look': {
        const test = positionTest(n);
        if (test) {
          this.emit(ASSERT, test.kind, test.bits);
          break;
        }
        const sub = new Compiler(this.looks, this.size);
        sub.node(n.node);
        sub.emit(MATCH, 0, 0);
        const index = this.looks.size;
        this.looks.set(index, { program: sub, negated: n.negated });
        this.emit(LOOK, index, 0);
        break;
      }
      case 'rep': this.repeat(n); break;
      default: throw new RegexError(`unknown node ${n.t}`);
    }
  }

  repeat({ node, min, max }) {
    for (let k = 0; k < min; k += 1) this.node(node);
    if (max === Infinity) {
      const split = this.emit(SPLIT, 0, 0);
      this.a[split] = split + 1;
      this.node(node);
      this.emit(JMP, split, 0);
      this.b[split] = this.op.length;
      return;
    }
    const splits = [];
    for (let k = min; k < max; k += 1) {
      const split = this.emit(SPLIT, 0, 0);
      this.a[split] = split + 1;
      splits.push(split);
      this.node(node);
    }
    splits.forEach((s) => { this.b[s] = this.op.length; });
  }
}

// The program's visit marks and thread lists, kept between tests (fresh marks once the
// generation count grows large).
function prepare(program) {
  if (program.mark === undefined || program.generation > 0x3fffffff) {
    program.mark = new Int32Array(program.op.length).fill(-1);
    program.generation = 0;
    program.stack = [];
    program.lists = [[], []];
  }
}

// The last index of `s` holding a char of the set `bits`, or -1: `(?=[\s\S]*[X])` holds up to it.
function lastIndexIn(s, bits) {
  let last = s.length - 1;
  for (; last >= 0; last -= 1) {
    const c = s.charCodeAt(last);
    if (c < 256 && bits[c]) break;
  }
  return last;
}

// Whether an assertion holds at `pos` of the subject `t.s`.
function holds(kind, pos, bits, t) {
  const s = t.s;
  if (kind === 'bol') return pos === 0;
  if (kind === 'eol' || kind === 'eos') return pos === s.length;
  if (kind === 'ahead_set') {
    if (t.lastOf === null) t.lastOf = new Map(); // char set -> lastIndexIn(s, set)
    let last = t.lastOf.get(bits);
    if (last === undefined) {
      last = lastIndexIn(s, bits);
      t.lastOf.set(bits, last);
    }
    return pos <= last;
  }
  const before = pos > 0 ? s.charCodeAt(pos - 1) : -1;
  const after = pos < s.length ? s.charCodeAt(pos) : -1;
  const boundary = (before >= 0 && isWord(before)) !== (after >= 0 && isWord(after));
  return kind === 'word' ? boundary : !boundary;
}

// Whether lookahead `index` holds at `pos`; each (lookahead, position) is run once per test.
function lookahead(index, pos, t) {
  if (t.cache === null) t.cache = new Map();
  const key = index * (t.s.length + 1) + pos;
  let found = t.cache.get(key);
  if (found === undefined) {
    const look = t.looks.get(index);
    found = run(look.program, pos, true, t) !== look.negated;
    t.cache.set(key, found);
  }
  return found;
}

// Adds pc and everything reachable from it without reading a char to `list`; true on reaching MATCH.
function add(program, list, pc, pos, generation, t) {
  const { mark, op, a, b, stack } = program;
  stack.push(pc);
  while (stack.length) {
    const at = stack.pop();
    if (mark[at] === generation) continue;
    mark[at] = generation;
    t.steps += 1;
    switch (op[at]) {
      case SET: list.push(at); break;
      case SPLIT: stack.push(b[at], a[at]); break;
      case JMP: stack.push(a[at]); break;
      case ASSERT: if (holds(a[at], pos, b[at], t)) stack.push(at + 1); break;
      case LOOK: if (lookahead(a[at], pos, t)) stack.push(at + 1); break;
      default:
        stack.length = 0;
        return true;
    }
  }
  return false;
}

/** Runs `program` over the test's subject `t.s` from `start`, all threads in step. The program
 * keeps its visit marks and thread lists between tests (a generation count tells runs apart; a
 * program never runs inside itself), so a test allocates nothing in proportion to it. */
function run(program, start, anchored, t) {
  const s = t.s;
  const { op, a } = program;
  prepare(program);
  let [current, next] = program.lists;
  current.length = 0;
  next.length = 0;
  // a pattern that starts with `^` can only match from the subject's start
  const fromStartOnly = anchored || (start === 0 && op[0] === ASSERT && a[0] === 'bol');
  let generation = (program.generation += 1);
  for (let pos = start; pos <= s.length; pos += 1) {
    if (t.steps > MAX_STEPS) return false;
    if ((!fromStartOnly || pos === start) && add(program, current, 0, pos, generation, t)) return true;
    if (pos === s.length || (current.length === 0 && fromStartOnly)) break;
    const c = s.charCodeAt(pos);
    generation = (program.generation += 1);
    for (let k = 0; k < current.length; k += 1) {
      const at = current[k];
      if (c < 256 && a[at][c] && add(program, next, at + 1, pos + 1, generation, t)) return true;
    }
    [current, next] = [next, current];
    next.length = 0;
  }
  return false;
}

// A lazily built DFA for programs whose assertions depend on the position alone: each state is
// a set of threads, made once and then reached by a table lookup per char. The states of all
// programs together are capped (memory, and members choose patterns): reaching the cap forgets
// every DFA built so far, and the test that reached it runs on the threads.
const MAX_DFA_STATES = 20000;
let dfaStates = 0;
const dfasWithStates = new Set();
const stats = { dfa_resets: 0 }; // how often the cap was reached

function forgetDfas() {
  stats.dfa_resets += 1;
  for (const dfa of dfasWithStates) {
    dfa.index = new Map();
    dfa.starts = [];
  }
  dfasWithStates.clear();
  dfaStates = 0;
}

// The DFA of `program`, or null when an assertion needs more than the position (a lookahead
// with a program of its own, a word boundary, two different `ahead_set`s).
function dfaOf(program) {
  if (program.dfa !== undefined) return program.dfa;
  const aheads = new Set();
  let eligible = true;
  program.op.forEach((op, at) => {
    const kind = program.a[at];
    if (op === LOOK || (op === ASSERT && (kind === 'word' || kind === 'not_word'))) eligible = false;
    if (op === ASSERT && kind === 'ahead_set') aheads.add(program.b[at]);
  });
  const fromStartOnly = program.op[0] === ASSERT && program.a[0] === 'bol';
  program.dfa = eligible && aheads.size <= 1
    ? { ahead: aheads.size ? [...aheads][0] : null, fromStartOnly, index: new Map(), starts: [] }
    : null;
  return program.dfa;
}

// The state for the threads `seeds` in a context (at the start, at the end, before the last
// `ahead` char), interned; null past the cap.
function dfaState(program, dfa, seeds, bol, end, ahead) {
  const { mark, op, a, b } = program;
  const generation = (program.generation += 1);
  const stack = seeds.slice();
  const pcs = [];
  let matched = false;
  while (stack.length && !matched) {
    const at = stack.pop();
    if (mark[at] === generation) continue;
    mark[at] = generation;
    switch (op[at]) {
      case SET: pcs.push(at); break;
      case SPLIT: stack.push(b[at], a[at]); break;
      case JMP: stack.push(a[at]); break;
      case ASSERT: {
        const kind = a[at];
        if (kind === 'bol' ? bol : kind === 'ahead_set' ? ahead : end) stack.push(at + 1);
        break;
      }
      default: matched = true;
    }
  }
  const key = matched ? 'match' : pcs.sort((x, y) => x - y).join(',');
  let state = dfa.index.get(key);
  if (state === undefined) {
    if (dfaStates >= MAX_DFA_STATES) {
      forgetDfas();
      return null;
    }
    dfaStates += 1;
    dfasWithStates.add(dfa);
    state = { pcs, matched, next: [null, null, null, null] }; // by (at the end, before `ahead`)
    dfa.index.set(key, state);
  }
  return state;
}

// The verdict of `program` on `s` by its DFA, or null to run the threads instead.
function dfaTest(program, dfa, s) {
  prepare(program);
  const last = dfa.ahead === null ? -1 : lastIndexIn(s, dfa.ahead);
  const startKey = (s.length === 0 ? 2 : 0) + (last >= 0 ? 1 : 0);
  let state = dfa.starts[startKey];
  if (state === undefined) {
    state = dfaState(program, dfa, [0], true, s.length === 0, last >= 0);
    if (state === null) return null;
    dfa.starts[startKey] = state;
  }
  const { op, a } = program;
  for (let pos = 0; pos < s.length; pos += 1) {
    if (state.matched) return true;
    if (dfa.fromStartOnly && state.pcs.length === 0) return false;
    const c = s.charCodeAt(pos);
    if (c > 255) return null;
    const end = pos + 1 === s.length;
    const variant = (end ? 2 : 0) + (pos + 1 <= last ? 1 : 0);
    let table = state.next[variant];
    if (table === null) table = state.next[variant] = new Array(256).fill(undefined);
    let next = table[c];
    if (next === undefined) {
      const seeds = state.pcs.filter((at) => a[at][c]).map((at) => at + 1);
      if (!dfa.fromStartOnly) seeds.push(0); // a match may start at any position
      next = dfaState(program, dfa, seeds.reverse(), false, end, pos + 1 <= last);
      if (next === null) return null;
      table[c] = next;
    }
    state = next;
  }
  return state.matched;
}

/** A compiled pattern with `test(subject)`, like a RegExp's; throws RegexError. */
function compile(pattern) {
  const looks = new Map();
  const program = new Compiler(looks, { count: 0 });
  program.node(new Parser(pattern).parse());
  program.emit(MATCH, 0, 0);
  if (program.op.length === 2 && program.op[0] === SET) { // one char class: any char of it
    const bits = program.a[0];
    return {
      test(subject) {
        for (let i = 0; i < subject.length; i += 1) {
          const c = subject.charCodeAt(i);
          if (c < 256 && bits[c]) return true;
        }
        return false;
      },
    };
  }
  const dfa = dfaOf(program);
  return {
    test(subject) {
      const verdict = dfa === null ? null : dfaTest(program, dfa, subject);
      return verdict !== null ? verdict : run(program, 0, false, { s: subject, looks, steps: 0, cache: null, lastOf: null });
    },
  };
}

module.exports = { compile, RegexError, MAX_PROGRAM, MAX_STEPS, stats };
