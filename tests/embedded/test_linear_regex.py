"""The embedded server's linear-time `$regex` (couchdb/embedded/lib/linear-regex.js) gives
JavaScript's own verdicts: random patterns of the syntax it accepts (classes, groups,
alternation, greedy and lazy quantifiers, anchors, word boundaries, lookaheads, the two
lookaheads it runs as position tests) over random byte strings, against `RegExp.test`. Both of
its ways of running a pattern are covered: the lazily built DFA (position-only assertions) and
the thread simulation (lookaheads with programs of their own, word boundaries), and a pattern
with more DFA states than the cap. And a pattern that backtracks exponentially in `RegExp`
answers at once over a long subject."""

from __future__ import annotations

import json
import shutil
import subprocess

from shopbill.services.ops.embedded import EMBEDDED_DIR

SCRIPT = r"""
const { compile } = require('./lib/linear-regex');
let seed = 20261206; // mulberry32: a fixed, well-mixed sequence
const rand = (n) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let z = Math.imul(seed ^ (seed >>> 15), seed | 1);
  z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
  return (((z ^ (z >>> 14)) >>> 0) / 4294967296 * n) | 0;
};
const pick = (xs) => xs[rand(xs.length)];
const ATOMS = ['a', 'b', '-', '.', '[ab]', '[^a]', '[a-c]', '\\d', '\\w', '\\s', '[\\s\\S]', '\\x00', '[\\x80-\\xff]'];
function atom(depth) {
  const r = rand(16);
  if (depth < 2 && r === 0) return '(?:' + alternation(depth + 1) + ')';
  if (depth < 2 && r === 1) return '(' + alternation(depth + 1) + ')';
  if (depth < 2 && r === 2) return pick(['(?=', '(?!']) + alternation(depth + 1) + ')';
  if (r === 3) return pick(['(?![\\s\\S])', '(?=[\\s\\S]*[b1])', '(?=[\\s\\S]*[^\\x00-\\x7F])']);
  if (r === 4) return pick(['^', '$', '\\b', '\\B']);
  return pick(ATOMS);
}
function quantified(depth) {
  const a = atom(depth);
  if (/^(\^|\$|\\b|\\B|\(\?[=!])/.test(a) || rand(3) !== 0) return a;
  const q = pick(['*', '+', '?', '{2}', '{0,3}', '{1,}', '{2,4}']);
  return a + q + (rand(4) === 0 ? '?' : '');
}
function sequence(depth) {
  let out = '';
  for (let k = 1 + rand(5); k > 0; k -= 1) out += quantified(depth);
  return out;
}
function alternation(depth) {
  return rand(4) === 0 ? sequence(depth) + '|' + sequence(depth) : sequence(depth);
}
const CHARS = ['a', 'b', '-', ' ', '\n', '1', '\x00', '\xe9', '_'];
const subject = () => Array.from({ length: rand(9) }, () => pick(CHARS)).join('');
let compared = 0;
let matched = 0;
const wrong = [];
for (let i = 0; i < 4000; i += 1) {
  const pattern = alternation(0);
  const ours = compile(pattern);
  const theirs = new RegExp(pattern);
  for (let j = 0; j < 12; j += 1) {
    const s = subject();
    compared += 1;
    matched += theirs.test(s) ? 1 : 0;
    if (ours.test(s) !== theirs.test(s)) wrong.push({ pattern, s, ours: ours.test(s) });
  }
}
// a pattern with 2^15 DFA states over random subjects: past the cap every DFA is forgotten and
// rebuilt, and the verdicts stay JavaScript's
const { stats } = require('./lib/linear-regex');
const hungry = '[ab]*a[ab]{14}-';
for (let k = 0, ours = compile(hungry), theirs = new RegExp(hungry); k < 3000; k += 1) {
  const s = Array.from({ length: 40 }, () => pick(['a', 'b'])).join('') + pick(['', '-']);
  if (ours.test(s) !== theirs.test(s)) wrong.push({ pattern: hungry, s });
}
const started = Date.now();
const evil = compile('^(a+)+$').test('a'.repeat(100000) + '!') || compile('(a|aa)*b').test('a'.repeat(100000));
process.stdout.write(JSON.stringify({
  compared, matched, wrong: wrong.slice(0, 5), evil, ms: Date.now() - started, resets: stats.dfa_resets,
}));
"""


def test_verdicts_equal_javascripts_and_evil_patterns_end() -> None:
    node = shutil.which("node")
    assert node, "node is required (the embedded server needs it too)"
    proc = subprocess.run(
        [node, "-e", SCRIPT], cwd=EMBEDDED_DIR, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["compared"] == 48000
    assert 0.1 < result["matched"] / result["compared"] < 0.9, result  # both verdicts, often
    assert result["wrong"] == [], result["wrong"]
    assert result["resets"] > 0  # the cap was reached
    assert result["evil"] is False
    assert result["ms"] < 20_000, result  # linear: ~10^5 steps, not 2^100000
