'use strict';

// Our additions to express-pouchdb, installed as its modules load (see the shopbill hook in
// server/express-pouchdb/lib/index.js): each runs right after the module named here.

var access = require('./access');
var docFields = require('./doc-fields');
var find = require('./find');
var requestPath = require('./request-path');
var dbCache = require('./db-cache');
var feedLimit = require('./feed-limit');
var revocation = require('./revocation');
var sizeLimits = require('./size-limits');

function usersDbName(app) {
  return app.couchConfig.get('couch_httpd_auth', 'authentication_db');
}

var hooks = {
  // before routes/authentication, whose users-db wrapper ends the wrapper chain for `_users`
  'routes/http-log': function (app) {
    app.use(requestPath.decodePlus);
    sizeLimits.configure(app.couchConfig);
    app.use(sizeLimits.requestGate);
    app.dbWrapper.registerWrapper(revocation.usersDbWrapper(usersDbName.bind(null, app)));
    // before validation's wrapper, so VDUs never see the fields CouchDB drops
    app.dbWrapper.registerWrapper(docFields.dbWrapper);
    app.dbWrapper.registerWrapper(sizeLimits.dbWrapper);
  },
  // req.couchSession is known from here on
  'routes/authentication': function (app) {
    app.couchConfig.registerDefault('couchdb', 'max_dbs_open', 100);
    dbCache.setMaxDbsOpen(app.couchConfig.get('couchdb', 'max_dbs_open'));
    app.couchConfig.on('couchdb.max_dbs_open', function () {
      dbCache.setMaxDbsOpen(app.couchConfig.get('couchdb', 'max_dbs_open'));
    });
    app.use(access.serverGate(usersDbName(app)));
    feedLimit.configure(app.couchConfig);
    app.use(feedLimit.gate);
    app.use(revocation.track(usersDbName(app)));
    // CouchDB's liveness answer; before the /{db} routes, which would take `_up` for a db name.
    app.get('/_up', function (req, res) {
      res.json({status: 'ok', seeds: {}});
    });
    app.use(requestPath.redirectEscapedDesign);
  },
  // after pouchdb-find's plugin: CouchDB's `_find` semantics over its query planner
  'routes/find': function (app) {
    app.daemonManager.registerDaemon({start: find.install});
  }
};

// Called by routes/db.js as soon as req.db is set for /{db}/..., before any db route.
exports.dbOpened = function (app) {
  ['/:db/*', '/:db'].forEach(function (route) {
    app.all(route, access.dbGate(usersDbName(app)));
  });
};

exports.after = function (file, app) {
  if (hooks[file]) {
    hooks[file](app);
  }
};
