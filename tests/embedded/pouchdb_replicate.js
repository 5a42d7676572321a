'use strict';
// Replicate docs into a server database with a real PouchDB replicator (the pouchdb-core,
// pouchdb-replication and http/memory adapters pinned in couchdb/embedded), as a phone would.
// stdin: {"url": target db URL, "username", "password", "docs": [docs with _rev/_revisions]}
// stdout: {"ok", "docs_written", "doc_write_failures", "denied": [ids]}
const path = require('path');
const modules = path.resolve(__dirname, '../../couchdb/embedded/node_modules');
const load = (name) => require(path.join(modules, name));
const PouchDB = load('pouchdb-core')
  .plugin(load('pouchdb-adapter-memory'))
  .plugin(load('pouchdb-adapter-http'))
  .plugin(load('pouchdb-replication'));

async function main() {
  const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const source = new PouchDB(`phone-${Date.now()}`, { adapter: 'memory' });
  await source.bulkDocs(input.docs, { new_edits: false });
  const target = new PouchDB(input.url, { auth: { username: input.username, password: input.password } });
  const denied = [];
  const result = await source.replicate.to(target).on('denied', (err) => denied.push(err.id));
  process.stdout.write(JSON.stringify({
    ok: result.ok, docs_written: result.docs_written,
    doc_write_failures: result.doc_write_failures, denied,
  }));
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack || err));
  process.exit(1);
});
