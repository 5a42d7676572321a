"""Closing a LevelDB database closes its own Mango index (view) databases' files, and only those.

PouchDB 9's leveldb adapter looked for the view dbs under `PouchDB.prefix` + the db's name, which
never matched a db opened with a prefix (the server's data dir): every view's files stayed open
after its db was closed, so each shop whose idle db the LRU closed kept its index files open.
`close()` answers only once those files are closed: counting them right after it is exact.
Closing must not touch another db's views either (`biz_1` is a prefix of `biz_10`'s name).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from shopbill.services.ops.embedded import EMBEDDED_DIR

SCRIPT = r"""
const fs = require('fs');
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-leveldb'))
  .plugin(require('pouchdb-find'));
const dir = process.argv[1];
const Prefixed = PouchDB.defaults({prefix: dir + '/'});

// files this process holds open inside the view db of `name`
function openViewFiles(name) {
  return fs.readdirSync('/proc/self/fd').map((fd) => {
    try { return fs.readlinkSync('/proc/self/fd/' + fd); } catch (e) { return ''; }
  }).filter((target) => target.startsWith(dir + '/' + name + '-mrview-')).length;
}

async function indexed(name) {
  const db = new Prefixed(name);
  await db.createIndex({index: {fields: ['n']}});
  await db.find({selector: {n: 1}});
  return db;
}

(async () => {
  const [one, ten] = [await indexed('biz_1'), await indexed('biz_10')];
  const before = {biz_1: openViewFiles('biz_1'), biz_10: openViewFiles('biz_10')};
  await one.close();
  const after = {biz_1: openViewFiles('biz_1'), biz_10: openViewFiles('biz_10')};
  await ten.close();
  process.stdout.write(JSON.stringify({before, after}));
})();
"""


def test_closing_a_db_closes_its_own_views_only(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "node is required (the embedded server needs it too)"
    proc = subprocess.run(
        [node, "-e", SCRIPT, str(tmp_path)],
        cwd=EMBEDDED_DIR,  # its node_modules: the server's own PouchDB packages
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    files = json.loads(proc.stdout)
    assert files["before"]["biz_1"] > 0 and files["before"]["biz_10"] > 0, files
    assert files["after"]["biz_1"] == 0, files  # its own view's files closed with it
    assert files["after"]["biz_10"] == files["before"]["biz_10"], files  # another db's untouched
