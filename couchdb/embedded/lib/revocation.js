'use strict';

// Better than CouchDB: a user's credentials change or its `_users` doc goes away, so every
// request that user still has open (a continuous, longpoll or eventsource `_changes` feed, a
// long `_find`...) is cut at once. Apache CouchDB keeps streaming an already authenticated feed
// after a password change; here a replaced device cannot receive one more change.
//
// The cut happens inside the `_users` write itself, before its response is sent, so once an
// admin's password change has answered, the old feeds are closed.

var wrappers = require('pouchdb-wrappers');

var USER_PREFIX = 'org.couchdb.user:';
var open = new Map(); // user name -> Set of the responses of its open requests

// Express middleware: remembers the signed-in user's requests while they are open.
function track(usersDbName) {
  return function (req, res, next) {
    var name = req.couchSession.userCtx.name;
    var usersDbPath = '/' + usersDbName + '/';
    if (!name || req.path.indexOf(usersDbPath) === 0) {
      // the user's own `_users` write must be able to answer
      return next();
    }
    var responses = open.get(name) || new Set();
    open.set(name, responses);
    responses.add(res);
    function forget() {
      responses.delete(res);
      if (responses.size === 0 && open.get(name) === responses) {
        open.delete(name);
      }
    }
    res.on('finish', forget);
    res.on('close', forget);
    next();
  };
}

// Closes every open request of user `name`: the connection is dropped, nothing more is sent.
function closeUserRequests(name) {
  var responses = open.get(name);
  if (!responses) {
    return 0;
  }
  open.delete(name);
  responses.forEach(function (res) {
    res.destroy();
  });
  return responses.size;
}

// A dbWrapper for the users db (`usersDbName()` names it, once the config knows it): after a
// write of user docs, cut those users' requests.
function usersDbWrapper(usersDbName) {
  return function (name, db, next) {
    if (name === usersDbName()) {
      wrappers.installWrapperMethods(db, {bulkDocs: closeAfterWrite});
    }
    return next();
  };
}

function closeAfterWrite(bulkDocs, args) {
  var userNames = args.docs.map(function (doc) {
    var id = String((doc && doc._id) || '');
    return id.indexOf(USER_PREFIX) === 0 ? id.slice(USER_PREFIX.length) : null;
  }).filter(Boolean);
  return bulkDocs().then(function (result) {
    var refused = (result || []).filter(function (row) {
      return row && (row.error || row.status >= 400);
    }).map(function (row) {
      return String(row.id).slice(USER_PREFIX.length);
    });
    userNames.forEach(function (userName) {
      if (refused.indexOf(userName) === -1) {
        closeUserRequests(userName);
      }
    });
    return result;
  });
}

exports.track = track;
exports.closeUserRequests = closeUserRequests;
exports.usersDbWrapper = usersDbWrapper;
