'use strict';

// CouchDB's access rules, applied per HTTP request before any route runs.
//
// The embedded server behaves like Apache CouchDB 3 with `require_valid_user = true`:
// - anonymous requests get 401 everywhere (GET / included), except what a human needs to log
//   in: the Fauxton files (GET/HEAD /_utils...) and /_session (GET shows "not logged in",
//   POST logs in, DELETE logs out) (defect 7), and GET /_up for health checks;
// - server endpoints (/_all_dbs, /_db_updates, /_config, ...) and PUT/DELETE /{db} are for
//   server admins only (CouchDB's chttpd_auth_request); a signed-in non-admin gets 403
//   (defects 1, 2, 7);
// - a database admits its `_security` admins and members; a database without members is
//   admin-only, as CouchDB 3 makes new databases (defect 7); a signed-in non-member gets 403,
//   never 401 (defect 8); `_find`, `_index`, `_bulk_get`, `_explain` included (defect 4);
// - design documents, `_security`, `_index` writes, `_compact` and `_view_cleanup` need a db
//   admin (defect 14);
// - in `_users`, a non-admin may only read, update or delete its own document (CouchDB's
//   users db rules); its `_auth` VDU then refuses role changes (defect 5).
//
// Stricter than CouchDB on purpose: a `_security` that explicitly lists no members stays
// admin-only (CouchDB would open it to every signed-in user).

var SERVER_ENDPOINTS_FOR_USERS = ['_session', '_utils', '_uuids'];
var DESIGN_READS_BY_POST = ['_view', '_list', '_show'];

function pathParts(req) {
  return req.path.split('/').filter(Boolean).map(function (part) {
    try {
      return decodeURIComponent(part);
    } catch (err) {
      return part;
    }
  });
}

function isServerAdmin(userCtx) {
  return userCtx.roles.indexOf('_admin') !== -1;
}

function isIn(userCtx, section) {
  section = section || {};
  return (section.names || []).indexOf(userCtx.name) !== -1 ||
    (section.roles || []).some(function (role) {
      return userCtx.roles.indexOf(role) !== -1;
    });
}

function isDbMember(userCtx, security) {
  // CouchDB 3: a database without members admits only its admins
  return isIn(userCtx, security.members);
}

function deny(req, res, reason) {
  var anonymous = !req.couchSession.userCtx.name;
  res.status(anonymous ? 401 : 403).json({
    error: anonymous ? 'unauthorized' : 'forbidden',
    reason: reason
  });
}

function isReadMethod(method) {
  return method === 'GET' || method === 'HEAD';
}

function anonymousMayReach(req, parts) {
  if (parts[0] === '_session') {
    return true;
  }
  if (parts[0] === '_up' && parts.length === 1) {
    return true; // orchestrators' health checks (CouchDB's require_valid_user_except_for_up)
  }
  return parts[0] === '_utils' && isReadMethod(req.method);
}

function usersDbRequestAllowed(req, parts, userCtx) {
  var ownDoc = 'org.couchdb.user:' + userCtx.name;
  return parts.length === 2 && parts[1] === ownDoc &&
    ['GET', 'HEAD', 'PUT', 'DELETE'].indexOf(req.method) !== -1;
}

// Runs right after authentication: decides everything that needs no database.
function serverGate(usersDbName) {
  return function (req, res, next) {
    var userCtx = req.couchSession.userCtx;
    var parts = pathParts(req);
    if (isServerAdmin(userCtx)) {
      return next();
    }
    if (!userCtx.name) {
      if (anonymousMayReach(req, parts)) {
        return next();
      }
      return deny(req, res, 'Authentication required.');
    }
    if (parts.length === 0 || SERVER_ENDPOINTS_FOR_USERS.indexOf(parts[0]) !== -1) {
      return next();
    }
    if (parts[0] === usersDbName) {
      if (usersDbRequestAllowed(req, parts, userCtx)) {
        return next();
      }
      return deny(req, res, 'Only admins may read other user documents.');
    }
    var createsOrDeletesDb = parts.length === 1 && (req.method === 'PUT' || req.method === 'DELETE');
    if (parts[0][0] === '_' || createsOrDeletesDb) {
      return deny(req, res, 'You are not a server admin.');
    }
    next();
  };
}

function needsDbAdmin(req, parts) {
  if (isReadMethod(req.method)) {
    return false;
  }
  var target = parts[1] || '';
  if (target === '_design' || target.indexOf('_design/') === 0) {
    var action = target === '_design' ? parts[3] : parts[2];
    return !(req.method === 'POST' && DESIGN_READS_BY_POST.indexOf(action) !== -1);
  }
  return ['_security', '_index', '_compact', '_view_cleanup'].indexOf(target) !== -1;
}

// Runs once the route's database is open (req.db): membership and db-admin rules.
function dbGate(usersDbName) {
  return function (req, res, next) {
    var userCtx = req.couchSession.userCtx;
    var parts = pathParts(req);
    if (isServerAdmin(userCtx) || parts[0] === usersDbName) {
      return next(); // _users was decided by serverGate
    }
    req.db.getSecurity().then(function (security) {
      security = security || {};
      if (isIn(userCtx, security.admins)) {
        return next();
      }
      if (!isDbMember(userCtx, security)) {
        return deny(req, res, 'You are not allowed to access this db.');
      }
      if (needsDbAdmin(req, parts)) {
        return deny(req, res, 'You are not a db or server admin.');
      }
      next();
    }, next);
  };
}

exports.serverGate = serverGate;
exports.dbGate = dbGate;
