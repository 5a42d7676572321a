#!/usr/bin/env node
'use strict';

// Times one replication of the reference client (tests/client/lib/client.js, real PouchDB):
//
//   node bench/pouch_bench.js push < {dir, docs_file, remote, batch_size?}
//   node bench/pouch_bench.js pull < {dir, remote, batch_size?}
//
// push: writes the docs of `docs_file` (a JSON array) into a fresh local database (not timed),
// then times one push of them to `remote`. pull: times one pull of `remote` into a fresh local
// database. Prints {seconds, docs_read, docs_written, doc_write_failures, denied}.
// `remote` is {url, db, username, password}, as a login's `couchdb` object.

const fs = require('fs');
const client = require('../tests/client/lib/client');

function readStdin() {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => { text += chunk; });
    process.stdin.on('end', () => resolve(JSON.parse(text)));
  });
}

async function main() {
  const mode = process.argv[2];
  if (mode !== 'push' && mode !== 'pull') {
    throw new Error('usage: pouch_bench.js push|pull < request.json');
  }
  const request = await readStdin();
  const local = client.openLocal(request.dir);
  const remote = client.openRemote(request.remote);
  try {
    if (mode === 'push') {
      const docs = JSON.parse(fs.readFileSync(request.docs_file, 'utf8'));
      for (let i = 0; i < docs.length; i += 1000) {
        await local.bulkDocs(docs.slice(i, i + 1000));
      }
    }
    const [from, to] = mode === 'push' ? [local, remote] : [remote, local];
    const began = process.hrtime.bigint();
    const outcome = await client.replicateOnce(from, to, {batchSize: request.batch_size || 100});
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    if (!outcome.ok) {
      throw new Error(`${mode} failed: ${outcome.error && outcome.error.message}`);
    }
    const {docs_read: read, docs_written: written, doc_write_failures: failures} = outcome.result;
    process.stdout.write(`${JSON.stringify({
      seconds, docs_read: read, docs_written: written, doc_write_failures: failures,
      denied: outcome.denied.slice(0, 5),
    })}\n`);
  } finally {
    await local.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(2);
});
