'use strict';

// The reference sync client: a local PouchDB (LevelDB on disk) that the shop works in while
// offline, and replication with the business database on the server. Everything an app needs
// is here in a few functions; sync.js drives them from the command line for the tests.

const path = require('path');
const PouchDB = require('pouchdb');
// Numbering is the app's too: one module outside the test tree (shared/numbering.js).
const {issueInvoice} = require('../../../shared/numbering');

const SESSION_DOC = '_local/session';

async function getLocal(local, id, fallback) {
  try {
    return await local.get(id);
  } catch (err) {
    if (err.status === 404) {
      return {_id: id, ...fallback};
    }
    throw err;
  }
}

/** The device's local database, stored in `dir`. Works with no network at all. */
function openLocal(dir) {
  return new PouchDB(path.join(dir, 'shop'));
}

/**
 * The business database on the server, with the CouchDB credentials the login returned.
 * `onRequest(method, url)` (optional) sees every HTTP request, e.g. to log or count them.
 */
function openRemote({url, db, username, password}, {onRequest} = {}) {
  const fetch = (requestUrl, init) => {
    if (onRequest) {
      onRequest((init && init.method) || 'GET', String(requestUrl));
    }
    return PouchDB.fetch(requestUrl, init);
  };
  // skip_setup: never try to create the database; the server provisions it.
  return new PouchDB(`${url.replace(/\/$/, '')}/${encodeURIComponent(db)}`,
    {auth: {username, password}, skip_setup: true, fetch});
}

/**
 * Keep what the login answered (POST /v1/login) on the device: the CouchDB credentials, the
 * device id and the invoice series. A new login replaces it; the documents stay.
 */
async function saveSession(local, {couchdb, device_id: deviceId, invoice_series: series}) {
  const session = await getLocal(local, SESSION_DOC, {});
  await local.put({...session, couchdb, device_id: deviceId, invoice_series: series});
}

/** The stored login ({couchdb, device_id, invoice_series}), or null before the first login. */
async function loadSession(local) {
  const session = await getLocal(local, SESSION_DOC, {});
  return session.couchdb ? session : null;
}

/** Write documents locally (offline). Returns [{id, rev} | {id, error, reason}] in input order. */
async function saveDocs(local, docs) {
  const results = await local.bulkDocs(docs);
  return results.map((r) => (r.ok ? {id: r.id, rev: r.rev}
    : {id: r.id, error: r.name || r.error, reason: r.message || r.reason}));
}

/** True when the server refused our credentials: this device was replaced (or logged out). */
function isUnauthorized(err) {
  return Boolean(err) && (err.status === 401 || String(err.name).toLowerCase() === 'unauthorized');
}

function describeError(err) {
  return {status: err.status || null, name: err.name || null, message: err.message || String(err)};
}

function describeDenied(event) {
  const denied = {
    id: event.id, error: event.name || event.error, reason: event.message || event.reason,
  };
  if (event.failures) {
    denied.failures = event.failures;
  }
  return denied;
}

function summarise(result, checkpoints) {
  return {
    docs_read: result.docs_read, docs_written: result.docs_written,
    doc_write_failures: result.doc_write_failures, last_seq: result.last_seq, checkpoints,
  };
}

/**
 * One one-shot replication `from` -> `to`; resolves to {ok, result, denied, error}.
 * `result.checkpoints` lists the sequence saved after each batch: where the next sync resumes;
 * `onCheckpoint(seq)` is called as each is saved.
 */
function replicateOnce(from, to, {batchSize = 100, onCheckpoint = () => {}} = {}) {
  return new Promise((resolve) => {
    const denied = [];
    const checkpoints = [];
    const replication = PouchDB.replicate(from, to, {batch_size: batchSize, retry: false});
    replication.on('denied', (event) => denied.push(describeDenied(event)));
    replication.on('checkpoint', (event) => {
      if ('checkpoint' in event) { // other 'checkpoint' events trace the batch steps
        checkpoints.push(event.checkpoint);
        onCheckpoint(event.checkpoint);
      }
    });
    replication.on('complete', (result) => resolve({
      ok: true, result: summarise(result, checkpoints), denied,
    }));
    replication.on('error', (err) => resolve({
      ok: false, result: err.result ? summarise(err.result, checkpoints) : null, denied, error: err,
    }));
  });
}

/**
 * One sync: push local changes, then pull the server's. Never retries by itself.
 * status: "complete" | "unauthorized" (stop: the device was replaced; keep every local doc)
 * | "error" (e.g. server unreachable: try again later with back-off).
 */
async function syncOnce(local, remote, {batchSize = 100, onCheckpoint = () => {}} = {}) {
  const report = {status: 'complete', push: null, pull: null, denied: [], error: null};
  for (const [direction, from, to] of [['push', local, remote], ['pull', remote, local]]) {
    const outcome = await replicateOnce(from, to, {
      batchSize, onCheckpoint: (checkpoint) => onCheckpoint({direction, checkpoint}),
    });
    report[direction] = outcome.result;
    report.denied.push(...outcome.denied.map((d) => ({...d, direction})));
    if (!outcome.ok) {
      report.status = isUnauthorized(outcome.error) ? 'unauthorized' : 'error';
      report.error = {...describeError(outcome.error), direction};
      break;
    }
  }
  return report;
}

/**
 * Live two-way sync until `stop()` is called or the server says 401.
 * Network errors restart it after an exponential back-off (capped at `maxBackoffMs`);
 * a 401 stops it for good: the owner signed in on another phone. Every step is passed to
 * `onEvent({event, ...})`. Returns {stop, done}; `done` resolves to the reason it ended.
 */
function syncLive(local, remote, options = {}) {
  const {onEvent = () => {}, batchSize = 100, backoffMs = 500, maxBackoffMs = 30000} = options;
  let current = null;
  let cancelRetry = null;
  let stopped = false;
  let resolveDone;
  const done = new Promise((resolve) => { resolveDone = resolve; });
  const finish = (reason) => {
    if (!stopped) {
      stopped = true;
      resolveDone(reason);
    }
  };

  const run = (delay) => {
    const sync = PouchDB.sync(local, remote, {live: true, retry: false, batch_size: batchSize});
    current = sync;
    sync.on('change', ({direction, change}) => onEvent({
      event: 'change', direction, docs: change.docs.map((d) => d._id),
      docs_written: change.docs_written,
    }));
    sync.on('active', () => {
      delay = backoffMs; // connected again: the next failure starts the back-off afresh
      onEvent({event: 'active'});
    });
    sync.on('paused', () => onEvent({event: 'paused'}));
    // Sync wraps each denied doc's error as {direction, doc}
    sync.on('denied', ({direction, doc}) => onEvent({
      event: 'denied', direction, ...describeDenied(doc),
    }));
    sync.on('error', (err) => {
      if (stopped) {
        return;
      }
      if (isUnauthorized(err)) {
        onEvent({event: 'unauthorized', ...describeError(err)});
        finish('unauthorized');
        return;
      }
      onEvent({event: 'error', retry_in_ms: delay, ...describeError(err)});
      const timer = setTimeout(() => run(Math.min(delay * 2, maxBackoffMs)), delay);
      cancelRetry = () => clearTimeout(timer);
    });
  };

  run(backoffMs);
  return {
    done,
    stop() {
      if (cancelRetry) {
        cancelRetry();
      }
      current.cancel();
      finish('stopped');
    },
  };
}

/** Every local doc (design docs included) with its current revision, sorted by id. */
async function dumpDocs(local) {
  const {rows} = await local.allDocs({include_docs: true, conflicts: true});
  return rows.map((row) => row.doc);
}

module.exports = {
  PouchDB, openLocal, openRemote, saveSession, loadSession, saveDocs, issueInvoice,
  isUnauthorized, replicateOnce, syncOnce, syncLive, dumpDocs,
};
