'use strict';
/**
 * The compiled, short-circuiting Mango matcher: `matches(sel, value)` is true exactly when the
 * failure report of mango-selector.js finds no failure (pinned by
 * tests/embedded/test_defect_vdu_push_cost.py), at a fraction of its cost, since every write
 * to a database with a Mango VDU runs it.
 */

const {
  collate, compareStrings, COMBINATORS, ELEMENT_OPS, isObject, single, onlyKey, byteRegex, asBytes, fieldSegments,
  NOT_FOUND, BAD_PATH, getField, equal, OPERATORS, inArgs,
} = require('./mango-ops');

/**
 * True when `sel` (normalized) matches `value`, without building failure messages. Each
 * (sub)selector is compiled once into a closure, cached on the selector object.
 */
function matches(sel, value) {
  return compiled(sel)(value);
}

const compiledCache = new WeakMap(); // selector object -> (value) => boolean

function compiled(sel) {
  let test = compiledCache.get(sel);
  if (test === undefined) {
    test = compile(sel);
    compiledCache.set(sel, test);
  }
  return test;
}

// What testing a (sub)selector roughly costs, to test the cheap conditions of an `$and` first:
// a conjunction of pure tests has the same verdict in any order, and the generated VDU puts its
// dearest test (every key of the doc against a regex) first in each `$or` branch, so a doc of
// another type paid it in every branch it lost.
function cost(sel) {
  const key = onlyKey(sel);
  if (key === undefined) return 0;
  const arg = sel[key];
  if (COMBINATORS.includes(key)) return arg.reduce((sum, s) => sum + cost(s), 1);
  if (key === '$not') return cost(arg);
  if (ELEMENT_OPS.includes(key)) return 20 + 10 * cost(arg);
  if (key === '$regex') return 3;
  if (Array.isArray(arg)) return 1 + arg.length;
  if (OPERATORS[key]) return 1;
  return 1 + cost(arg);
}

function byCost(sels) {
  return sels.map((s, i) => [cost(s), i, s]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((e) => e[2]);
}

// A JSON scalar pouchdb-collate compares as itself (finite numbers, strings, booleans, null).
const isPlainScalar = (v) => v === null || typeof v === 'string' || typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v));

// collate(v, arg) for a scalar `arg`, without collate's normalising when `v` has arg's type.
function comparer(arg) {
  if (typeof arg === 'number' && Number.isFinite(arg)) {
    return (v) => (typeof v === 'number' && Number.isFinite(v) ? v - arg : collate(v, arg));
  }
  if (typeof arg === 'string') {
    return (v) => (typeof v === 'string' ? compareStrings(v, arg) : collate(v, arg));
  }
  return (v) => collate(v, arg);
}

const COMPARISONS = { $lt: (c) => c < 0, $lte: (c) => c <= 0, $gte: (c) => c >= 0, $gt: (c) => c > 0 };

// Operators with a faster test of the same verdict than OPERATORS' (undefined: none).
function fastOperator(key, arg) {
  if (COMPARISONS[key]) {
    const cmp = comparer(arg);
    const ok = COMPARISONS[key];
    return (v) => ok(cmp(v));
  }
  if ((key === '$eq' || key === '$ne') && isPlainScalar(arg)) {
    const same = (v) => (isPlainScalar(v) ? v === arg : equal(v, arg));
    return key === '$eq' ? same : (v) => !same(v);
  }
  if ((key === '$in' || key === '$nin') && arg.every(isPlainScalar)) {
    const set = new Set(arg);
    const found = (v) => (isPlainScalar(v) ? set.has(v) : inArgs(v, arg));
    return key === '$in' ? found : (v) => !found(v);
  }
  if (key === '$regex') {
    const words = literalAlternation(arg);
    if (words) return (v) => typeof v === 'string' && words.has(v);
    const regex = byteRegex(arg);
    return (v) => typeof v === 'string' && regex.test(asBytes(v));
  }
  if (key === '$type') {
    return Object.prototype.hasOwnProperty.call(TYPE_TESTS, arg) ? TYPE_TESTS[arg] : undefined;
  }
  return undefined;
}

const TYPE_TESTS = {
  null: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  number: (v) => typeof v === 'number',
  string: (v) => typeof v === 'string',
  array: Array.isArray,
  object: isObject,
};

// The words of a pattern `^(?:w1|w2|...)(?![\s\S])` (the generated enums and key lists), whose
// match is exactly "is one of the words" (ASCII words: a string's UTF-8 bytes equal one only if
// the string does), else undefined.
function literalAlternation(pattern) {
  const m = /^\^\(\?:([A-Za-z0-9_|]+)\)\(\?!\[\\s\\S\]\)$/.exec(pattern);
  return m ? new Set(m[1].split('|')) : undefined;
}

// An $and's tests with the conditions on one field (in normal form, {"a.b": {$op: arg}} each)
// read that field once: {"a": {$type}}, {"a": {$mod}} -> one lookup of "a", then both tests.
function byField(sels) {
  const groups = new Map(); // field -> [conditions]
  const tests = [];
  for (const sel of sels) {
    const key = onlyKey(sel);
    if (key === undefined || key === '' || key.startsWith('$')) {
      tests.push(compiled(sel));
    } else if (groups.has(key)) {
      groups.get(key).push(sel[key]);
    } else {
      groups.set(key, [sel[key]]);
      tests.push(key); // placeholder, keeps the cheapest condition's place
    }
  }
  return tests.map((t) => (typeof t === 'string' ? fieldTest(t, groups.get(t)) : t));
}

function fieldTest(field, conds) {
  if (conds.length === 1) return compiled(single(field, conds[0]));
  const segments = fieldSegments(field);
  const tests = conds.map(compiled);
  // A missing field passes only if every condition on it is {$exists: false}.
  const onlyAbsence = conds.every((c) => onlyKey(c) === '$exists' && c.$exists === false);
  return (value) => {
    const found = getField(value, segments);
    if (found === NOT_FOUND) return onlyAbsence;
    if (found === BAD_PATH) return false;
    for (let i = 0; i < tests.length; i += 1) if (!tests[i](found)) return false;
    return true;
  };
}

function compile(sel) {
  const key = onlyKey(sel);
  if (key === undefined) return () => true;
  const arg = sel[key];
  switch (key) {
    case '$and': {
      const tests = byField(byCost(arg));
      return (value) => {
        for (let i = 0; i < tests.length; i += 1) if (!tests[i](value)) return false;
        return true;
      };
    }
    case '$or': {
      const tests = arg.map(compiled);
      return (value) => {
        for (let i = 0; i < tests.length; i += 1) if (tests[i](value)) return true;
        return false;
      };
    }
    case '$not': {
      const test = compiled(arg);
      return (value) => !test(value);
    }
    case '$elemMatch': {
      const test = compiled(arg);
      return (value) => Array.isArray(value) && value.some((v) => test(v));
    }
    case '$allMatch': {
      const test = compiled(arg);
      return (value) => Array.isArray(value) && value.length > 0 && value.every((v) => test(v));
    }
    case '$keyMapMatch': {
      const test = compiled(arg);
      return (value) => isObject(value) && Object.keys(value).some((k) => test(k));
    }
    default:
      break;
  }
  if (OPERATORS[key]) {
    const fast = fastOperator(key, arg);
    if (fast) return fast;
    const op = OPERATORS[key][0];
    return (value) => op(value, arg);
  }
  const test = compiled(arg);
  if (key === '') return test;
  const segments = fieldSegments(key);
  const onlyAbsence = onlyKey(arg) === '$exists' && arg.$exists === false;
  return (value) => {
    const found = getField(value, segments);
    if (found === NOT_FOUND) return onlyAbsence;
    return found !== BAD_PATH && test(found);
  };
}

module.exports = { matches };
