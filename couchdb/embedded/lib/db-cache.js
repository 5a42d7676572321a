'use strict';

// The open databases, least recently used first, like CouchDB's `max_dbs_open` (defect 12).
//
// PouchDB Server kept every database it ever opened open for good (~4 file descriptors each),
// so ~250 databases exhausted `ulimit -n 1024`. Here at most `max_dbs_open` databases stay open
// (config `[couchdb] max_dbs_open`, default 100): opening one more closes the least recently
// used database that no request is using (an open `_changes` feed keeps its db in use, as in
// CouchDB). System databases (`_users`, `_replicator`, `pouch__*`) are never closed: other
// PouchDB objects share their files.

var vdu = require('./vdu');

var DEFAULT_MAX_DBS_OPEN = 100;

var open = new Map(); // name -> {db, users}, least recently used first
var closing = new Map(); // name -> promise settled once its files are closed
var maxDbsOpen = DEFAULT_MAX_DBS_OPEN;

function setMaxDbsOpen(value) {
  var n = parseInt(value, 10);
  maxDbsOpen = n > 0 ? n : DEFAULT_MAX_DBS_OPEN;
}

function isSystemDb(name) {
  return name[0] === '_' || name.indexOf('pouch__') === 0;
}

function touch(name, entry) {
  open.delete(name);
  open.set(name, entry);
}

// Resolves to the PouchDB object for `name`, opening it (after any close in progress); the
// request behind `res` (optional) holds it open until it ends.
function get(PouchDB, name, res) {
  return Promise.resolve(closing.get(name)).then(function () {
    var entry = open.get(name);
    if (!entry) {
      entry = {db: new PouchDB(name), users: 0};
    }
    touch(name, entry);
    if (res) {
      hold(entry, res);
    }
    evictIdle(name);
    return entry.db;
  });
}

function hold(entry, res) {
  entry.users += 1;
  var released = false;
  function release() {
    if (!released) {
      released = true;
      entry.users -= 1;
      evictIdle();
    }
  }
  res.on('finish', release);
  res.on('close', release);
}

function evictIdle(keep) {
  if (open.size <= maxDbsOpen) {
    return;
  }
  var excess = open.size - maxDbsOpen;
  for (var [name, entry] of open) {
    if (excess <= 0) {
      break;
    }
    if (entry.users > 0 || name === keep || isSystemDb(name)) {
      continue;
    }
    excess -= 1;
    close(name, entry.db);
  }
}

// Closing a db also drops what was kept for it while open: its view dbs' PouchDB objects and its
// compiled validate_doc_update functions (vdu.js; ~1 MB of selector closures per shop), rebuilt
// on its next write. Kept for every db ever opened, they grew the heap by ~1 MB per shop: at 600
// shops the server stalled for seconds to a minute in each full GC.
function close(name, db) {
  open.delete(name);
  vdu.invalidate(db.name);
  var done = closeViews(db).then(function () {
    return db.close();
  }).catch(function () {
    // already closed or never opened: nothing left to release
  }).then(function () {
    if (closing.get(name) === done) {
      closing.delete(name);
    }
  });
  closing.set(name, done);
}

// A db's view databases (one per Mango index, `<db>-mrview-<hash>`) are PouchDB objects of their
// own, opened on its first query. Closing the db closed their files (pouchdb-adapter-leveldb-core) but
// not the objects, which PouchDB._destructionListeners then kept for good.
function closeViews(db) {
  var views = db._cachedViews || {};
  return Promise.all(Object.keys(views).map(function (signature) {
    return Promise.resolve(views[signature]).then(function (view) {
      return view.db.close();
    }).catch(function () {
      // a view that failed to open, or was closed already
    });
  }));
}

// Forgets `name` (it is being deleted): resolves to its open PouchDB object, if any.
function forget(name) {
  var entry = open.get(name);
  open.delete(name);
  return Promise.resolve(closing.get(name)).then(function () {
    return entry ? entry.db : null;
  });
}

module.exports = {
  get: get,
  forget: forget,
  setMaxDbsOpen: setMaxDbsOpen,
  openCount: function () { return open.size; }
};
