'use strict';

// GET /_db_updates, as in CouchDB (PouchDB Server answered 400): which databases were
// created, updated or deleted, so a worker can follow thousands of databases with one feed.
//
// Like CouchDB's `_global_changes` database, every event is an upsert of the doc
// "<type>:<db name>" in the `_global_changes` db, written in small batches, and the endpoint is
// that db's changes feed: results `{db_name, type, seq}`, `last_seq`; `feed=normal|longpoll|
// continuous`, `since` (a seq or `now`), `timeout` and `heartbeat` in ms, `limit`. Server admins
// only (access.js). Events survive a restart; `seq` is opaque to clients, as in CouchDB.

var wrappers = require('pouchdb-wrappers');

var GLOBAL_DB = '_global_changes';
var FLUSH_DELAY_MS = 25; // CouchDB's global_changes max_event_delay
var DEFAULT_TIMEOUT_MS = 60000;

var globalDb = null;
var pending = new Set(); // doc ids waiting for the next flush
var flushing = null;

function shouldIgnore(dbName) {
  return dbName === GLOBAL_DB || dbName.indexOf('pouch__') === 0 ||
    dbName.indexOf('-mrview-') !== -1;
}

function record(dbName, type) {
  if (!globalDb || shouldIgnore(dbName)) {
    return;
  }
  pending.add(type + ':' + dbName);
  scheduleFlush();
}

function scheduleFlush() {
  if (flushing || !pending.size) {
    return;
  }
  flushing = new Promise(function (resolve) {
    setTimeout(resolve, FLUSH_DELAY_MS);
  }).then(flush).catch(function (err) {
    console.error('_db_updates: could not record events', err);
  }).then(function () {
    flushing = null;
    scheduleFlush();
  });
}

// Upserts one doc per pending event: its seq moves to the end of the feed.
function flush() {
  var ids = Array.from(pending);
  pending.clear();
  return globalDb.allDocs({keys: ids}).then(function (res) {
    return globalDb.bulkDocs(res.rows.map(function (row) {
      return row.value ? {_id: row.key, _rev: row.value.rev} : {_id: row.key};
    }));
  });
}

function toResult(change) {
  var sep = change.id.indexOf(':');
  return {db_name: change.id.slice(sep + 1), type: change.id.slice(0, sep), seq: change.seq};
}

function changesOptions(query) {
  var opts = {since: query.since === undefined ? 0 : query.since};
  if (typeof query.limit === 'number') {
    opts.limit = query.limit;
  }
  if (query.descending === true) {
    opts.descending = true;
  }
  return opts;
}

function resolveSince(opts) {
  if (opts.since !== 'now') {
    return Promise.resolve(opts);
  }
  return globalDb.info().then(function (info) {
    opts.since = info.update_seq;
    return opts;
  });
}

function msOption(value, fallback) {
  return typeof value === 'number' && value > 0 ? value : fallback;
}

function writeLine(res, obj) {
  res.write(JSON.stringify(obj) + '\n');
}

function handle(req, res) {
  var feed = req.query.feed || 'normal';
  if (['normal', 'longpoll', 'continuous', 'eventsource'].indexOf(feed) === -1) {
    return res.status(400).json({error: 'bad_request', reason: 'unknown feed: ' + feed});
  }
  var timeout = msOption(req.query.timeout, DEFAULT_TIMEOUT_MS);
  var heartbeat = req.query.heartbeat === true ? DEFAULT_TIMEOUT_MS :
    msOption(req.query.heartbeat, 0);
  resolveSince(changesOptions(req.query)).then(function (opts) {
    return globalDb.changes(opts).then(function (done) {
      if (feed === 'normal' || (feed === 'longpoll' && done.results.length)) {
        return res.status(200).json({
          results: done.results.map(toResult), last_seq: done.last_seq
        });
      }
      follow(req, res, feed, Object.assign(opts, {since: done.last_seq}), timeout, heartbeat,
        done.results);
    });
  }).catch(function (err) {
    if (!res.headersSent) {
      res.status(err.status || 500).json({error: err.name || 'error', reason: err.message});
    } else {
      res.end();
    }
  });
}

function follow(req, res, feed, opts, timeout, heartbeat, backlog) {
  res.status(200).set('Content-Type', 'application/json');
  var lastSeq = opts.since;
  var live = globalDb.changes(Object.assign({}, opts, {live: true}));
  var timers = [];
  function stop() {
    timers.forEach(clearInterval);
    live.cancel();
  }
  function finish() {
    stop();
    if (feed === 'continuous') {
      writeLine(res, {last_seq: lastSeq});
    }
    res.end();
  }
  if (feed === 'continuous') {
    backlog.forEach(function (change) {
      writeLine(res, toResult(change));
    });
  }
  live.on('change', function (change) {
    lastSeq = change.seq;
    if (feed === 'continuous') {
      return writeLine(res, toResult(change));
    }
    stop();
    res.end(JSON.stringify({results: [toResult(change)], last_seq: change.seq}) + '\n');
  }).on('error', function () {
    stop();
    res.end();
  });
  timers.push(setTimeout(function () {
    if (feed === 'longpoll') {
      stop();
      return res.end(JSON.stringify({results: [], last_seq: lastSeq}) + '\n');
    }
    finish();
  }, timeout));
  if (heartbeat) {
    timers.push(setInterval(function () {
      res.write('\n');
    }, heartbeat));
  }
  res.on('close', stop);
}

// express-pouchdb module: the route, and the hooks that record events.
module.exports = function (app) {
  app.daemonManager.registerDaemon({
    start: function (PouchDB) {
      globalDb = new PouchDB(GLOBAL_DB);
    }
  });

  app.dbWrapper.registerWrapper(function (name, db, next) {
    wrappers.installWrapperMethods(db, {
      bulkDocs: function (bulkDocs) {
        return bulkDocs().then(function (result) {
          record(name, 'updated');
          return result;
        });
      }
    });
    return next();
  });

  ['put', 'delete'].forEach(function (method) {
    app[method]('/:db', function (req, res, next) {
      var type = method === 'put' ? 'created' : 'deleted';
      res.on('finish', function () {
        if (res.statusCode < 300) {
          record(req.params.db, type);
        }
      });
      next();
    });
  });

  app.all('/_db_updates', function (req, res) {
    if (req.method !== 'GET' && req.method !== 'POST') {
      return res.status(405).json({error: 'method_not_allowed', reason: 'Only GET,POST allowed'});
    }
    handle(req, res);
  });
};
