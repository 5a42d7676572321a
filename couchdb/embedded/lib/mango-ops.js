'use strict';
/**
 * What Mango selectors are made of, shared by the failure report (mango-selector.js) and the
 * compiled matcher (mango-matcher.js): CouchDB's operator table (`mango_selector.erl`), field
 * paths and lookup (`mango_doc:get_field/2`), and regexes over UTF-8 bytes as Erlang's `re`,
 * matched in linear time (linear-regex.js: a member's pattern must not stall every shop).
 */

const { parseField } = require('pouchdb-selector-core');
const { collate: jsonCollate } = require('pouchdb-collate');
const linearRegex = require('./linear-regex');

// CouchDB orders strings by ICU's root collation (`couch_ejson_compare`), not by code point:
// `"item;"` sorts before `"item:1"`, and `"a"` before `"A"` before `"b"`. Strings ICU calls equal
// but that differ are ordered by code point, so only identical strings are equal, as in CouchDB's
// `$eq`. Strings inside arrays and objects still compare by code point (pouchdb-collate).
const icu = new Intl.Collator('en');

function compareStrings(a, b) {
  if (a === b) return 0;
  return icu.compare(a, b) || (a < b ? -1 : 1);
}

function collate(a, b) {
  return typeof a === 'string' && typeof b === 'string' ? compareStrings(a, b) : jsonCollate(a, b);
}

const COMBINATORS = ['$and', '$or', '$nor'];
const ELEMENT_OPS = ['$elemMatch', '$allMatch', '$keyMapMatch'];

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const single = (key, value) => ({ [key]: value });
const onlyKey = (sel) => Object.keys(sel)[0];

// Valid JavaScript syntax, and within what the linear matcher runs (no back-references or
// lookbehind, a bounded program).
function compilesAsRegex(pattern) {
  try {
    new RegExp(pattern); // eslint-disable-line no-new
    byteRegex(pattern);
    return true;
  } catch (e) {
    return false;
  }
}

const MAX_CACHED_REGEXES = 1000;
const regexCache = new Map(); // pattern -> compiled matcher (`test` keeps no state)
const fieldCache = new Map(); // "a.b.c" -> ["a", "b", "c"] (never mutated)

/** A linear-time matcher over "byte strings" (one char per UTF-8 byte), as Erlang's `re` sees
 * binaries; throws linearRegex.RegexError for a pattern it cannot run. */
function byteRegex(pattern) {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    if (regexCache.size >= MAX_CACHED_REGEXES) regexCache.clear(); // members choose the patterns
    regex = linearRegex.compile(Buffer.from(pattern, 'utf8').toString('latin1'));
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

module.exports = {
  parseField, collate, compareStrings, COMBINATORS, ELEMENT_OPS, isObject, single, onlyKey, compilesAsRegex,
  byteRegex, asBytes, fieldSegments, NOT_FOUND, BAD_PATH, getField, show, equal, OPERATORS, inArgs,
};
