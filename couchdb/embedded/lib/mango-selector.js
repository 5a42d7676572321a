'use strict';
/**
 * Mango selectors with Apache CouchDB's verdicts, for Mango validate_doc_update.
 *
 * PouchDB's matcher (pouchdb-selector-core) gives different verdicts from CouchDB on exactly the
 * cases a VDU depends on, and cannot say *where* a document fails. This module ports the
 * semantics of CouchDB's `mango_selector.erl` / `mango_doc.erl` (main, with PR #5839) and reports
 * failures in the shape of PR #5858 (`{path: [...], message}`), reusing pouchdb-selector-core's
 * field-path parser and pouchdb-collate's JSON collation (CouchDB's `mango_json:cmp` order:
 * null < false < true < numbers < strings < arrays < objects).
 *
 * CouchDB behaviours kept on purpose (each pinned by tests/conformance/test_vdu_mango.py):
 * - a field that is missing fails every condition except `{"$exists": false}`;
 * - a path through null, a scalar or an out-of-range array index is a "bad path": it fails every
 *   condition, `{"$exists": false}` included (`{"a.1": {"$exists": false}}` never matches);
 * - negations are normalised away (`{"$not": {"a": {"$exists": true}}}` == `{"a": {"$exists": false}}`);
 * - `$type: "number"` accepts any number; `$mod` only integers; `$regex` and `$beginsWith` only
 *   strings; `$regex` runs on UTF-8 bytes like Erlang's `re` (`.` is one byte).
 * Known differences: strings compare by code point, not ICU; JSON `1.0` is the integer 1 once
 * parsed by JavaScript, so `$mod` accepts it where CouchDB refuses it; regex syntax is JavaScript's.
 */

const { parseField } = require('pouchdb-selector-core');
const { collate } = require('pouchdb-collate');

class SelectorError extends Error {}

const COMBINATORS = ['$and', '$or', '$nor'];
const ELEMENT_OPS = ['$elemMatch', '$allMatch', '$keyMapMatch'];
const TERMINALS = ['$lt', '$lte', '$eq', '$ne', '$gte', '$gt'];
const NEGATED = { $lt: '$gte', $lte: '$gt', $eq: '$ne', $ne: '$eq', $gte: '$lt', $gt: '$lte',
  $in: '$nin', $nin: '$in' };
const ARG_CHECKS = {
  $in: Array.isArray,
  $nin: Array.isArray,
  $all: Array.isArray,
  $exists: (a) => typeof a === 'boolean',
  $type: (a) => typeof a === 'string',
  $beginsWith: (a) => typeof a === 'string',
  $mod: (a) => Array.isArray(a) && a.length === 2 && Number.isInteger(a[0]) && a[0] !== 0 &&
    Number.isInteger(a[1]),
  $size: (a) => Number.isInteger(a) && a >= 0,
  $regex: (a) => typeof a === 'string' && compilesAsRegex(a),
};

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const single = (key, value) => ({ [key]: value });
const onlyKey = (sel) => Object.keys(sel)[0];

function compilesAsRegex(pattern) {
  try {
    byteRegex(pattern);
    return true;
  } catch (e) {
    return false;
  }
}

const regexCache = new Map(); // pattern -> RegExp (no flags, so `test` keeps no state)
const fieldCache = new Map(); // "a.b.c" -> ["a", "b", "c"] (never mutated)

/** A RegExp over "byte strings" (one char per UTF-8 byte), as Erlang's `re` sees binaries. */
function byteRegex(pattern) {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(Buffer.from(pattern, 'utf8').toString('latin1'));
    regexCache.set(pattern, regex);
  }
  return regex;
}

// A string as Erlang's `re` sees it: one char per UTF-8 byte (ASCII is already that).
function asBytes(text) {
  return Buffer.byteLength(text, 'utf8') === text.length ? text : Buffer.from(text, 'utf8').toString('latin1');
}

function fieldSegments(field) {
  let segments = fieldCache.get(field);
  if (segments === undefined) {
    segments = parseField(field);
    fieldCache.set(field, segments);
  }
  return segments;
}

/** Normalize a selector like `mango_selector:normalize/1`; throws SelectorError if invalid. */
function normalize(selector) {
  if (!isObject(selector)) {
    throw new SelectorError('selector must be a JSON object');
  }
  if (Object.keys(selector).length === 0) {
    return {};
  }
  return normNegations(normFields(normOps(selector), ''));
}

function normOps(sel) {
  if (!isObject(sel) || Object.keys(sel).length === 0) {
    return single('$eq', sel);
  }
  const keys = Object.keys(sel);
  if (keys.length > 1) {
    return single('$and', keys.map((k) => normOps(single(k, sel[k]))));
  }
  const key = keys[0];
  const arg = sel[key];
  if (COMBINATORS.includes(key)) {
    if (!Array.isArray(arg)) throw new SelectorError(`bad argument to ${key}`);
    return single(key, arg.map(normOps));
  }
  if (key === '$not' || ELEMENT_OPS.includes(key)) {
    if (!isObject(arg)) throw new SelectorError(`bad argument to ${key}`);
    return single(key, normOps(arg));
  }
  if (ARG_CHECKS[key]) {
    if (!ARG_CHECKS[key](arg)) throw new SelectorError(`bad argument to ${key}`);
    return sel;
  }
  if (TERMINALS.includes(key)) {
    return sel;
  }
  if (key.startsWith('$')) {
    throw new SelectorError(`invalid operator: ${key}`);
  }
  return single(key, normOps(arg));
}

// Push field names down to the terminal operators: {a: {b: {$gt: 1}}} -> {"a.b": {$gt: 1}}.
function normFields(sel, path) {
  const key = onlyKey(sel);
  const arg = sel[key];
  if (COMBINATORS.includes(key)) {
    return single(key, arg.map((a) => normFields(a, path)));
  }
  if (key === '$not') {
    return single(key, normFields(arg, path));
  }
  if (ELEMENT_OPS.includes(key)) {
    return single(path, single(key, normFields(arg, '')));
  }
  if (key.startsWith('$')) {
    return single(path, sel);
  }
  return normFields(arg, path === '' ? key : `${path}.${key}`);
}

// Move negations down to the terminals (De Morgan), as CouchDB does before matching.
function normNegations(sel) {
  const key = onlyKey(sel);
  const arg = sel[key];
  if (key === '$not') return negate(arg);
  if (key === '$nor') return single('$and', arg.map(negate));
  if (key === '$and' || key === '$or') return single(key, arg.map(normNegations));
  if (ELEMENT_OPS.includes(key)) return single(key, normNegations(arg));
  // As on CouchDB main, a negation inside {field: {$elemMatch: ...}} is not normalised (only
  // apache/couchdb PR #5858 does that): there `$not` keeps its plain "does not match" meaning.
  return sel;
}

function negate(sel) {
  const key = onlyKey(sel);
  const arg = sel[key];
  if (key === '$not') return normNegations(arg);
  if (key === '$nor') return single('$or', arg.map(normNegations));
  if (key === '$and') return single('$or', arg.map(negate));
  if (key === '$or') return single('$and', arg.map(negate));
  if (NEGATED[key]) return single(NEGATED[key], arg);
  if (key === '$exists') return single('$exists', !arg);
  if (key.startsWith('$')) return single('$not', sel);
  return single(key, negate(arg));
}

/** The top-level field names a normalized selector reads (through $and/$or/$not). */
function topLevelFields(sel, acc = new Set()) {
  const key = onlyKey(sel);
  if (key === undefined) return acc;
  if (COMBINATORS.includes(key)) sel[key].forEach((a) => topLevelFields(a, acc));
  else if (key === '$not') topLevelFields(sel[key], acc);
  else if (!key.startsWith('$')) acc.add(parseField(key)[0]);
  return acc;
}

const NOT_FOUND = Symbol('not_found');
const BAD_PATH = Symbol('bad_path');

// mango_doc:get_field/2: objects by key, arrays by integer index, anything else is a bad path.
function getField(value, segments) {
  let current = value;
  for (const name of segments) {
    if (isObject(current)) {
      if (!Object.prototype.hasOwnProperty.call(current, name)) return NOT_FOUND;
      current = current[name];
    } else if (Array.isArray(current)) {
      if (!/^[+-]?\d+$/.test(name)) return BAD_PATH;
      const pos = parseInt(name, 10);
      if (pos < 0 || pos >= current.length) return BAD_PATH;
      current = current[pos];
    } else {
      return BAD_PATH;
    }
  }
  return current;
}

const show = (v) => JSON.stringify(v);
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v);
const equal = (a, b) => collate(a, b) === 0;

// Each operator: [test(value, arg), message(arg)] for the failure report.
const OPERATORS = {
  $lt: [(v, a) => collate(v, a) < 0, (a) => `must be less than ${show(a)}`],
  $lte: [(v, a) => collate(v, a) <= 0, (a) => `must be less than or equal to ${show(a)}`],
  $eq: [(v, a) => equal(v, a), (a) => `must be equal to ${show(a)}`],
  $ne: [(v, a) => !equal(v, a), (a) => `must not be equal to ${show(a)}`],
  $gte: [(v, a) => collate(v, a) >= 0, (a) => `must be greater than or equal to ${show(a)}`],
  $gt: [(v, a) => collate(v, a) > 0, (a) => `must be greater than ${show(a)}`],
  $in: [inArgs, (a) => `must be one of ${show(a)}`],
  $nin: [(v, a) => !inArgs(v, a), (a) => `must not be one of ${show(a)}`],
  $exists: [(v, a) => a, () => 'must not be present'],
  $type: [(v, a) => typeOf(v) === a, (a) => `must be of type ${a}`],
  $mod: [(v, a) => Number.isInteger(v) && v % a[0] === a[1],
    (a) => `must be an integer with remainder ${a[1]} when divided by ${a[0]}`],
  $regex: [(v, a) => typeof v === 'string' && byteRegex(a).test(asBytes(v)),
    (a) => `must be a string matching ${show(a)}`],
  $beginsWith: [(v, a) => typeof v === 'string' && v.startsWith(a), (a) => `must be a string beginning with ${show(a)}`],
  $size: [(v, a) => Array.isArray(v) && v.length === a, (a) => `must be an array of length ${a}`],
  $all: [allOf, (a) => `must be an array containing all of ${show(a)}`],
};

function inArgs(value, args) {
  const values = Array.isArray(value) ? value : [value];
  return args.some((a) => values.some((v) => equal(v, a)));
}

function allOf(value, args) {
  if (!Array.isArray(value)) return false;
  const hasAll = args.every((a) => value.some((v) => equal(v, a)));
  return hasAll || (args.length === 1 && Array.isArray(args[0]) && equal(args[0], value));
}

/**
 * Match a normalized selector against `value`; returns the list of failures ([] = match).
 * Each failure is `{path: [field, ...], message}` like CouchDB PR #5858, listed once.
 */
function matchFailures(sel, value) {
  if (matches(sel, value)) {
    return []; // the common case, without building any failure report
  }
  const seen = new Set();
  return match(sel, value, []).filter((f) => {
    const key = JSON.stringify(f);
    return !seen.has(key) && seen.add(key);
  });
}

function match(sel, value, path = []) {
  const key = onlyKey(sel);
  if (key === undefined) return [];
  const arg = sel[key];
  const fail = (message) => [{ path, message }];
  switch (key) {
    case '$and':
      return arg.flatMap((s) => match(s, value, path));
    case '$or': {
      // Every branch failed: report them all (each failure once, see matchFailures).
      if (arg.length === 0) return fail('cannot match an empty $or');
      if (arg.some((s) => matches(s, value))) return [];
      return arg.flatMap((s) => match(s, value, path));
    }
    case '$not':
      return match(arg, value, path).length === 0 ? fail(`must not match ${show(arg)}`) : [];
    case '$elemMatch':
      return Array.isArray(value) && value.some((v) => match(arg, v, path).length === 0)
        ? [] : fail(`must be an array with an element matching ${show(arg)}`);
    case '$allMatch':
      if (!Array.isArray(value) || value.length === 0) {
        return fail(`must be a non-empty array whose elements all match ${show(arg)}`);
      }
      return value.flatMap((v, i) => match(arg, v, path.concat(String(i))));
    case '$keyMapMatch':
      return isObject(value) && Object.keys(value).some((k) => match(arg, k, path).length === 0)
        ? [] : fail(`must be an object with a key matching ${show(arg)}`);
    default:
      break;
  }
  if (OPERATORS[key]) {
    const [test, message] = OPERATORS[key];
    return test(value, arg) ? [] : fail(message(arg));
  }
  return matchField(key, arg, value, path);
}

function matchField(field, cond, value, path) {
  if (field === '') {
    return match(cond, value, path);
  }
  const segments = fieldSegments(field);
  const inner = path.concat(segments);
  const found = getField(value, segments);
  if (found === NOT_FOUND) {
    const onlyAbsence = onlyKey(cond) === '$exists' && cond.$exists === false;
    return onlyAbsence ? [] : [{ path: inner, message: 'must be present' }];
  }
  if (found === BAD_PATH) {
    return [{ path: inner, message: 'cannot be reached: its parent is not an object or the array is too short' }];
  }
  return match(cond, found, inner);
}

/**
 * True when `sel` matches `value`, i.e. exactly when `match(sel, value)` finds no failure, but
 * short-circuiting and without building failure messages: a valid write (the common case) costs
 * a fraction of a full report (issue 9: the generated VDU made a push ~3x slower without it).
 * Each (sub)selector is compiled once into a closure, cached on the selector object.
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
// another type paid it in every branch it lost (issue 9).
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
    return (v) => (typeof v === 'string' ? (v === arg ? 0 : v > arg ? 1 : -1) : collate(v, arg));
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

module.exports = { normalize, match: matchFailures, matches, topLevelFields, SelectorError };
