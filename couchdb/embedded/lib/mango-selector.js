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
 * Known differences: strings inside arrays and objects compare by code point, not ICU; JSON `1.0`
 * is the integer 1 once parsed by JavaScript, so `$mod` accepts it where CouchDB refuses it; regex
 * syntax is JavaScript's, matched in linear time (linear-regex.js: no back-references or lookbehind).
 */

const {
  parseField, COMBINATORS, ELEMENT_OPS, isObject, single, onlyKey, compilesAsRegex, fieldSegments,
  NOT_FOUND, BAD_PATH, getField, show, OPERATORS,
} = require('./mango-ops');
const { matches } = require('./mango-matcher');

class SelectorError extends Error {}

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

module.exports = { normalize, match: matchFailures, matches, topLevelFields, SelectorError };
