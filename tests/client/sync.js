#!/usr/bin/env node
'use strict';

// Command-line driver of the reference client, used by the Python tests:
//
//   node sync.js <command> < request.json   ->   one JSON report on stdout
//
// Every request has `dir` (where the device's local database lives). Commands:
//   session         {login}                              keep a login answer on the device
//   create          {docs: [...]}                        write docs locally (no network)
//   issue-invoices  {series?, time_zone?, invoices: [...]} number and store invoices locally
//   sync            {remote?, batch_size?, events_file?}  one push + one pull; each saved
//                   checkpoint {direction, checkpoint} is appended to `events_file` as it happens
//   live            {remote?, seconds, batch_size?, backoff_ms?, events_file?}
//                   live sync for `seconds`, until a 401 or until SIGTERM; each event is also
//                   appended to `events_file` (one JSON line) as it happens
//   dump            {}                                    every local doc with its revision
// `remote` is the login's `couchdb` object: {url, db, username, password}; without it, and
// without `series`, the stored login's are used.
// Exit status 0 means a report was printed (even for a failed sync: see its `status`);
// 2 means the request itself was wrong or the client crashed (message on stderr).

const fs = require('fs');
const client = require('./lib/client');

// PouchDB 9 leaves a few internal promises without a handler: replicate() asks the source for
// its info after each batch and ignores a failure, so a connection cut at that moment (say, by
// the server when the device is replaced) would crash Node with an unhandled rejection. The
// replication itself still reports the failure through its 'error' event, so an app records
// the stray rejection and carries on; the report lists them as `warnings`.
const warnings = [];
process.on('unhandledRejection', (reason) => {
  warnings.push(String((reason && reason.message) || reason));
});

function readStdin() {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => { text += chunk; });
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

// Counts the HTTP requests a sync made, by method and endpoint ("GET _changes"), and the
// `since` of each `_changes` request: proof that a second sync resumes from its checkpoint.
function requestLog(remoteDb) {
  const counts = {};
  const changesSince = [];
  const onRequest = (method, url) => {
    const {pathname, searchParams} = new URL(url);
    const endpoint = pathname.split('/')[2] || '';
    const key = `${method} ${decodeURIComponent(endpoint)}`.trim();
    counts[key] = (counts[key] || 0) + 1;
    if (endpoint === '_changes') {
      changesSince.push(searchParams.get('since'));
    }
  };
  return {onRequest, report: () => ({counts, changes_since: changesSince})};
}

async function remoteOf(local, request, options) {
  const session = request.remote ? null : await client.loadSession(local);
  if (!request.remote && !session) {
    throw new Error('no remote given and no login stored (run `session` first)');
  }
  return client.openRemote(request.remote || session.couchdb, options);
}

// One JSON line per event, written at once so a test can watch a command under way.
function appendEvent(eventsFile, event) {
  if (eventsFile) {
    fs.appendFileSync(eventsFile, `${JSON.stringify(event)}\n`);
  }
}

const commands = {
  async session(local, request) {
    await client.saveSession(local, request.login);
    const {device_id: deviceId, invoice_series: series} = await client.loadSession(local);
    return {device_id: deviceId, invoice_series: series};
  },

  async create(local, request) {
    const results = await client.saveDocs(local, request.docs);
    return {written: results.filter((r) => r.rev).length, results};
  },

  async 'issue-invoices'(local, request) {
    const series = request.series || ((await client.loadSession(local)) || {}).invoice_series;
    const issued = [];
    for (const invoice of request.invoices) {
      issued.push(await client.issueInvoice(local, invoice, {series, timeZone: request.time_zone}));
    }
    return {issued: issued.map((doc) => ({id: doc._id, number: doc.number, rev: doc._rev}))};
  },

  async sync(local, request) {
    const log = requestLog();
    const remote = await remoteOf(local, request, {onRequest: log.onRequest});
    const report = await client.syncOnce(local, remote, {
      batchSize: request.batch_size,
      onCheckpoint: (event) => appendEvent(request.events_file, event),
    });
    return {...report, http: log.report()};
  },

  async live(local, request) {
    const remote = await remoteOf(local, request);
    const events = [];
    const started = Date.now();
    const live = client.syncLive(local, remote, {
      batchSize: request.batch_size,
      backoffMs: request.backoff_ms,
      onEvent: (event) => {
        const stamped = {at_ms: Date.now() - started, ...event};
        events.push(stamped);
        appendEvent(request.events_file, stamped);
      },
    });
    const timer = setTimeout(() => live.stop(), request.seconds * 1000);
    process.once('SIGTERM', () => live.stop());
    const reason = await live.done;
    clearTimeout(timer);
    return {ended: reason, events};
  },

  async dump(local) {
    const docs = await client.dumpDocs(local);
    return {count: docs.length, docs};
  },
};

async function main() {
  const name = process.argv[2];
  if (!commands[name]) {
    throw new Error(`usage: sync.js <${Object.keys(commands).join('|')}> < request.json`);
  }
  const request = JSON.parse(await readStdin());
  if (!request.dir) {
    throw new Error('request.dir is required');
  }
  const local = client.openLocal(request.dir);
  try {
    const report = await commands[name](local, request);
    process.stdout.write(`${JSON.stringify(warnings.length ? {...report, warnings} : report)}\n`);
  } finally {
    await local.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(2);
});
