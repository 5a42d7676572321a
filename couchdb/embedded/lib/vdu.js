'use strict';
/**
 * validate_doc_update for the embedded server: compiled once per database, Mango and JavaScript.
 *
 * Used by server/pouchdb-validation (which used to allDocs + eval every design doc on every
 * single write, defect 10, and overwrote the `_revisions` of replicated docs, defect 6).
 *
 * - `functionsFor(db, compileJs)` returns the database's compiled VDUs from a per-database cache
 *   (keyed by name, so every PouchDB instance of one database shares it). Writing any `_design/`
 *   doc or destroying the database invalidates it, so a VDU change applies to the next write.
 * - Mango VDUs (`"language": "query"`, apache/couchdb PR #5839) match `{newDoc, oldDoc}`; a refusal
 *   is 403 `{"error": "forbidden", "reason": "document is not valid", "failures": [...]}`
 *   (reason from CouchDB main, `failures` in the shape of PR #5858).
 * - `validate(db, functions, doc, newEdits, ...)` runs them against the document the write
 *   replaces, found the way CouchDB's `couch_db` does, including for replicated writes
 *   (`new_edits=false`), and read from the store only when it can matter.
 */

const selector = require('./mango-selector');

const cache = new Map(); // db name -> Promise<[{designDoc, run(newDoc, oldDoc, userCtx, secObj)}]>
// failure_reports: writes the VDU refused (a valid write never builds a report); old_doc_reads:
// per-doc lookups of the stored doc (none for a new doc or a replicated first revision that
// passes; the absent among a batch's edits are found at once).
// absent_checks: metadata reads telling whether a doc was ever stored, before the lookups.
const stats = { design_doc_reads: 0, compiles: 0, cache_hits: 0, validations: 0,
  failure_reports: 0, old_doc_reads: 0, absent_checks: 0 };

/** An error PouchDB/express-pouchdb turn into an HTTP response (status, name, message). */
class VduError extends Error {
  constructor(status, name, message, failures) {
    super(message);
    this.status = status;
    this.name = name;
    this.error = true;
    if (failures) this.failures = failures;
  }
}

/** Compile a Mango VDU selector; throws VduError 400 `compilation_error` if it is not valid. */
function compileMango(ddoc) {
  let sel;
  try {
    sel = selector.normalize(ddoc.validate_doc_update);
  } catch (e) {
    if (!(e instanceof selector.SelectorError)) throw e;
    throw new VduError(400, 'compilation_error', `invalid Mango validate_doc_update in ${ddoc._id}: ${e.message}`);
  }
  // As in apache/couchdb PR #5858: only these two fields exist, so anything else is a mistake.
  for (const field of selector.topLevelFields(sel)) {
    if (field !== 'newDoc' && field !== 'oldDoc') {
      throw new VduError(400, 'compilation_error',
        `'validate_doc_update' may only contain 'newDoc' and 'oldDoc' as top-level fields (${ddoc._id})`);
    }
  }
  return function runMango(newDoc, oldDoc) {
    // CouchDB main passes oldDoc = null for a new document (PR #5858 will omit it instead).
    const input = { newDoc, oldDoc: oldDoc === undefined ? null : oldDoc };
    if (selector.matches(sel, input)) {
      return; // the common case: no failure report is built
    }
    stats.failure_reports += 1;
    throw new VduError(403, 'forbidden', 'document is not valid', selector.match(sel, input));
  };
}

/** Throw VduError 400 if a design doc being written carries a Mango VDU that does not compile. */
function checkDesignDoc(doc) {
  if (doc && doc.language === 'query' && doc.validate_doc_update !== undefined && !doc._deleted) {
    compileMango(doc);
  }
}

function isVduDesignDoc(doc) {
  return doc && doc.validate_doc_update !== undefined;
}

function loadFunctions(db, compileJs) {
  stats.design_doc_reads += 1;
  return db.allDocs({ startkey: '_design/', endkey: '_design0', include_docs: true })
    .then((resp) => resp.rows.map((row) => row.doc).filter(isVduDesignDoc).map((designDoc) => {
      stats.compiles += 1;
      const mango = designDoc.language === 'query';
      // A Mango VDU only reads newDoc, so it needs no private copy of it (see runAll).
      return { designDoc, run: mango ? compileMango(designDoc) : compileJs(designDoc), readOnly: mango };
    }));
}

/** The compiled VDUs of `db` (cached until a design doc of that database changes). */
function functionsFor(db, compileJs) {
  const name = db.name;
  if (cache.has(name)) {
    stats.cache_hits += 1;
    return cache.get(name);
  }
  const promise = loadFunctions(db, compileJs);
  cache.set(name, promise);
  // A failed load (e.g. a broken design doc) is not cached: the next write tries again.
  promise.catch(() => { if (cache.get(name) === promise) cache.delete(name); });
  return promise;
}

/** Forget the compiled VDUs of database `name` (its design docs changed or it was destroyed). */
function invalidate(name) {
  cache.delete(name);
}

function isDesignId(id) {
  return String(id).startsWith('_design/');
}

function revString(pos, id) {
  return `${pos}-${id}`;
}

/** The revisions a replicated doc brings, newest first: its own rev, then its ancestors. */
function incomingRevs(doc) {
  if (doc._revisions && Array.isArray(doc._revisions.ids)) {
    return doc._revisions.ids.map((id, i) => revString(doc._revisions.start - i, id));
  }
  return doc._rev ? [doc._rev] : [];
}

const SKIP = Symbol('skip');

/**
 * The stored doc a write is validated against: null for a new doc, or SKIP when CouchDB would not
 * run the VDU at all (the write is a conflict, or a replicated revision that is already stored).
 */
function oldDocFor(db, doc, newEdits, absent) {
  // No revision of it is stored: validated as a new doc (an edit of a `_rev` we do not have
  // stays a 409 conflict that no VDU judges, as below).
  if (absent && absent.has(doc._id) && !(newEdits && doc._rev)) {
    return Promise.resolve(null);
  }
  stats.old_doc_reads += 1;
  return newEdits ? interactiveOldDoc(db, doc) : replicatedOldDoc(db, doc);
}

/**
 * Whether the stored doc can matter to the VDUs: not when the write can only be validated
 * against null or not at all (SKIP), i.e. an interactive write without `_rev` (a new doc, or a
 * conflict) or a replicated first revision (no ancestor to find; SKIP if already stored).
 */
function mayHaveOldDoc(doc, newEdits) {
  return newEdits ? Boolean(doc._rev) : incomingRevs(doc).length > 1;
}

/**
 * Run the VDUs on one write (resolves, or rejects with the refusal). A write that cannot have an
 * oldDoc (`mayHaveOldDoc`) is judged against null at once and the store is read only if it is
 * refused, to tell a refusal from a SKIP: a phone's push of new docs reads nothing.
 */
function validate(db, functions, doc, newEdits, absent, userCtx, secObj) {
  const judge = (oldDoc) => {
    if (oldDoc !== SKIP) runAll(functions, doc, oldDoc, userCtx, secObj);
  };
  if (mayHaveOldDoc(doc, newEdits)) {
    return oldDocFor(db, doc, newEdits, absent).then(judge);
  }
  try {
    judge(null);
    return Promise.resolve();
  } catch (refusal) {
    return oldDocFor(db, doc, newEdits, absent).then((oldDoc) => {
      if (oldDoc === null) throw refusal;
      judge(oldDoc);
    });
  }
}

/**
 * The ids among `docs` that `db` has never stored (not even deleted), for the writes whose
 * oldDoc must be looked up (`mayHaveOldDoc`), read all at once with one metadata read each.
 * Empty when `db` has no VDU, so writes to such a database pay nothing.
 */
function absentIds(db, docs, newEdits, compileJs) {
  const ids = docs.filter((doc) => doc && typeof doc._id === 'string' && !isDesignId(doc._id) &&
    mayHaveOldDoc(doc, newEdits)).map((doc) => doc._id);
  if (!ids.length) return Promise.resolve(new Set());
  return functionsFor(db, compileJs).then((functions) => {
    if (!functions.length) return new Set();
    return Promise.all(ids.map((id) => isAbsent(db, id))).then((absent) => new Set(ids.filter((id, i) => absent[i])));
  });
}

// The adapter's revision-tree read is one point read of the doc's metadata; `allDocs({keys})`
// opened a LevelDB iterator per key (pouchdb-adapter-utils' allDocsKeysQuery): a cost paid per key.
function isAbsent(db, id) {
  stats.absent_checks += 1;
  if (typeof db._getRevisionTree !== 'function') {
    return db.allDocs({ keys: [id] }).then((resp) => resp.rows[0].error === 'not_found');
  }
  return new Promise((resolve) => {
    // Only "missing" counts: any other error leaves the doc to the full per-doc lookup.
    db._getRevisionTree(id, (err) => resolve(Boolean(err) && err.status === 404));
  });
}

function interactiveOldDoc(db, doc) {
  if (doc._rev) {
    // The revision being edited; if it is not stored the write is a 409 conflict, not a VDU matter.
    return db.get(doc._id, { rev: doc._rev, revs: true }).catch(() => SKIP);
  }
  // No _rev: a live doc makes this a conflict; a deleted one is recreated with oldDoc null.
  return db.get(doc._id).then(() => SKIP, () => null);
}

// couch_db:prep_and_validate_replicated_updates: a revision already in the tree is ignored; a new
// leaf is validated against its nearest ancestor whose body is stored, else against null (so a
// new branch that shares no stored ancestor is validated as a new document, as in CouchDB).
function replicatedOldDoc(db, doc) {
  const revs = incomingRevs(doc);
  return db.get(doc._id, { open_revs: 'all', revs: true }).catch(() => []).then((leaves) => {
    const known = new Set();
    leaves.filter((leaf) => leaf.ok).forEach((leaf) => incomingRevs(leaf.ok).forEach((r) => known.add(r)));
    if (revs.length && known.has(revs[0])) {
      return SKIP;
    }
    const ancestors = revs.slice(1).filter((r) => known.has(r));
    return firstStored(db, doc._id, ancestors);
  });
}

function firstStored(db, id, revs) {
  if (!revs.length) return Promise.resolve(null);
  return db.get(id, { rev: revs[0], revs: true })
    .catch(() => firstStored(db, id, revs.slice(1)));
}

// `_revisions` as CouchDB builds it from `_rev` for a doc that does not carry it.
function revisionsOf(doc) {
  if (doc._revisions || typeof doc._rev !== 'string') return undefined;
  const dash = doc._rev.indexOf('-');
  return { start: parseInt(doc._rev.slice(0, dash), 10), ids: [doc._rev.slice(dash + 1)] };
}

/** What a VDU sees as newDoc: a copy, with `_revisions` as CouchDB builds it from `_rev`. */
function vduView(doc) {
  const view = JSON.parse(JSON.stringify(doc));
  const revisions = revisionsOf(view);
  if (revisions) view._revisions = revisions;
  return view;
}

/**
 * The same view for a VDU that only reads it (Mango): a shallow copy, or `doc` itself when it
 * needs no `_revisions`, instead of a JSON round trip per write. Like the JSON copy,
 * it leaves out top-level fields whose value is undefined (a DELETE's tombstone can have one).
 */
function readOnlyView(doc) {
  const revisions = revisionsOf(doc);
  if (!revisions && !Object.values(doc).includes(undefined)) return doc;
  const view = {};
  for (const key of Object.keys(doc)) {
    if (doc[key] !== undefined) view[key] = doc[key];
  }
  if (revisions) view._revisions = revisions;
  return view;
}

/** Run every VDU on one write; throws the first refusal (VduError or the JS VDU's error). */
function runAll(functions, doc, oldDoc, userCtx, secObj) {
  stats.validations += 1;
  let shared;
  for (const { run, readOnly } of functions) {
    if (readOnly) shared = shared || readOnlyView(doc);
    run(readOnly ? shared : vduView(doc), oldDoc, userCtx, secObj);
  }
}

module.exports = {
  VduError, functionsFor, invalidate, isDesignId, validate, absentIds, checkDesignDoc, compileMango,
  runAll, stats,
};
