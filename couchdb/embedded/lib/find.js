'use strict';
/**
 * `_find` and `_index` with CouchDB's answers, over pouchdb-find's query planner.
 *
 * pouchdb-find plans well (which index, which key range) but decides matches with
 * pouchdb-selector-core, which differs from CouchDB: it crashes on `$regex` inside `$or` and on a
 * nested-object selector, compares strings by code point (CouchDB: ICU), returns every match
 * when no `limit` is given (CouchDB: 25), never applies an index's `partial_filter_selector` and
 * accepts any selector. So pouchdb-find is asked only for candidates, with the part of the
 * selector it handles (plain comparisons of top-level fields), and the full selector is then
 * matched here by CouchDB's rules (mango-selector.js, the matcher of Mango VDUs).
 *
 * As in CouchDB, an `_all_docs` range is taken by code point and its docs then matched by ICU, so
 * `_id` `$lt "item;"` finds no `item:` doc. A json index's range is still taken by code point
 * (CouchDB's is ICU): a range whose bounds sort differently in the two orders may find fewer docs.
 */

const { normalize, matches, SelectorError } = require('./mango-selector');
const { parseField } = require('pouchdb-selector-core');

const DEFAULT_LIMIT = 25; // CouchDB's `_find` limit when the request names none
const PLANNED_OPS = ['$eq', '$gt', '$gte', '$lt', '$lte'];

function badRequest(error, reason) {
  const err = new Error(reason);
  err.name = error;
  err.status = 400;
  return err;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** The request's selector, normalized as CouchDB does; throws CouchDB's 400s. */
function selectorOf(request) {
  if (!isObject(request) || !('selector' in request)) {
    throw badRequest('missing_required_key', 'Missing required key: selector');
  }
  if (!isObject(request.selector)) {
    throw badRequest('invalid_selector_json',
      `Selector must be a JSON object, not: ${JSON.stringify(request.selector)}`);
  }
  try {
    return normalize(request.selector);
  } catch (e) {
    if (e instanceof SelectorError) {
      throw badRequest('invalid_operator', e.message);
    }
    throw e;
  }
}

/**
 * The conjuncts of a normalized selector that pouchdb-find evaluates as CouchDB would (plain
 * comparisons with a scalar), as a selector for planning, and whether that is all of it.
 */
function plannable(selector) {
  const conjuncts = Object.keys(selector).length === 1 && Array.isArray(selector.$and) ?
    selector.$and : [selector];
  const planned = conjuncts.filter((c) => {
    const keys = Object.keys(c);
    if (keys.length !== 1 || keys[0].startsWith('$') || !isObject(c[keys[0]])) return false;
    const ops = Object.keys(c[keys[0]]);
    return ops.length === 1 && PLANNED_OPS.includes(ops[0]) && isScalar(c[keys[0]][ops[0]]);
  });
  const plan = planned.length === 0 ? { _id: { $gt: null } } :
    planned.length === 1 ? planned[0] : { $and: planned };
  return { plan, complete: planned.length === conjuncts.length };
}

/** `fields` as CouchDB picks them: only the listed (dotted) paths, nested as in the doc. */
function pick(doc, fields) {
  const out = {};
  fields.forEach((field) => {
    const path = parseField(field);
    let value = doc;
    for (const key of path) {
      if (!isObject(value) || !(key in value)) return;
      value = value[key];
    }
    let target = out;
    path.slice(0, -1).forEach((key) => {
      target[key] = isObject(target[key]) ? target[key] : {};
      target = target[key];
    });
    target[path[path.length - 1]] = value;
  });
  return out;
}

/** The partial_filter_selector of the index `use_index` named, if it has one. */
function partialFilter(db, explain, candidateRequest) {
  if (!candidateRequest.use_index) return Promise.resolve(null);
  return explain.call(db, candidateRequest).then((plan) => {
    const def = (plan.index && plan.index.def) || {};
    return def.partial_filter_selector ? normalize(def.partial_filter_selector) : null;
  });
}

function makeFind(originalFind, originalExplain) {
  return function find(request, callback) {
    const db = this;
    const answer = Promise.resolve().then(() => {
      const selector = selectorOf(request);
      const { plan, complete } = plannable(selector);
      const limit = 'limit' in request ? request.limit : DEFAULT_LIMIT;
      const skip = request.skip || 0;
      const candidates = { selector: plan };
      ['sort', 'use_index'].forEach((key) => {
        if (key in request) candidates[key] = request[key];
      });
      if (complete) {
        // pouchdb-find evaluates all of it: let it skip and limit through the index
        Object.assign(candidates, { limit, skip });
      }
      return Promise.all([originalFind.call(db, candidates), partialFilter(db, originalExplain, candidates)])
        .then(([found, partial]) => {
          let docs = found.docs.filter((doc) => matches(selector, doc) && (!partial || matches(partial, doc)));
          if (!complete) docs = docs.slice(skip, skip + limit);
          const result = { docs: request.fields ? docs.map((doc) => pick(doc, request.fields)) : docs };
          if (found.warning) result.warning = found.warning;
          return result;
        });
    });
    if (typeof callback === 'function') {
      answer.then((result) => callback(null, result), callback);
    }
    return answer;
  };
}

function makeCreateIndex(originalCreateIndex) {
  return function createIndex(request, callback) {
    const db = this;
    const answer = Promise.resolve().then(() => {
      const index = isObject(request) && isObject(request.index) ? request.index : null;
      if (index && 'partial_filter_selector' in index) {
        // stored normalized, as CouchDB stores it (`{"type": "x"}` -> `{"type": {"$eq": "x"}}`)
        index.partial_filter_selector = selectorOf({ selector: index.partial_filter_selector });
      }
      return originalCreateIndex.call(db, request);
    });
    if (typeof callback === 'function') {
      answer.then((result) => callback(null, result), callback);
    }
    return answer;
  };
}

/** A daemon's start: replaces pouchdb-find's `find` and `createIndex` on every db. */
function install(PouchDB) {
  const proto = PouchDB.prototype;
  if (proto.find && !proto.find.couchdbSemantics) {
    const find = makeFind(proto.find, proto.explain);
    find.couchdbSemantics = true;
    proto.find = find;
    proto.createIndex = makeCreateIndex(proto.createIndex);
  }
}

module.exports = { install, selectorOf, plannable, pick };
