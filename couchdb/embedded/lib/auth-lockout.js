'use strict';

// Password lockout as Apache CouchDB's `[chttpd_auth_lockout]` does it with its defaults (mode
// enforce, threshold 5, max_lifetime 5 min, max_objects 10,000): refused passwords are counted
// per client address, user name and salt; once 5 are counted, even the right password from
// that address is refused with 403 until 5 minutes after the first refusal. A new password has
// a new salt and so starts from nothing. The services rely on it (they rotate one user's
// password at a time so that their own checks never lock the newest one out), so the
// development server locks out as production does.

var THRESHOLD = 5;
var LIFETIME_MS = 5 * 60 * 1000;
var MAX_ENTRIES = 10000;
var failures = new Map(); // JSON [peer, name, salt] -> {count, since}; oldest first

function current(key, now) {
  var entry = failures.get(key);
  if (entry && now - entry.since >= LIFETIME_MS) {
    failures.delete(key);
    return undefined;
  }
  return entry;
}

// A guard for one login attempt of `name` (see multiUserLogIn). A name with no user doc has
// an undefined salt: CouchDB's basic auth refuses it before any check (no count), while its
// `POST /_session` checks it against an empty salt (counted): `countsUnknownNames` says which.
exports.guard = function (req, name, countsUnknownNames) {
  var peer = peerOf(req);
  function keyOf(salt) {
    if (salt === undefined && !countsUnknownNames) {
      return undefined;
    }
    return JSON.stringify([peer, String(name), salt || '']);
  }
  return {
    message: 'Account is temporarily locked due to multiple authentication failures',
    isLockedOut: function (salt) {
      var key = keyOf(salt);
      var entry = key && current(key, Date.now());
      return Boolean(entry) && entry.count >= THRESHOLD;
    },
    fail: function (salt) {
      var key = keyOf(salt);
      if (!key) {
        return;
      }
      var now = Date.now();
      var entry = current(key, now);
      if (!entry) {
        if (failures.size >= MAX_ENTRIES) {
          failures.delete(failures.keys().next().value);
        }
        entry = {count: 0, since: now};
        failures.set(key, entry);
      }
      entry.count += 1;
    }
  };
};

var PROXY_HOPS = [/^127\./, /^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./];

// The client's address as CouchDB (mochiweb) takes it: a connection from a loopback or private
// IPv4 address with an X-Forwarded-For header is a proxy's, and the header's last entry counts.
function peerOf(req) {
  var socketAddress = String(req.socket.remoteAddress || '').replace(/^::ffff:/, '');
  var forwarded = req.headers['x-forwarded-for'];
  var behindProxy = PROXY_HOPS.some(function (hop) { return hop.test(socketAddress); });
  if (forwarded && behindProxy) {
    var hops = String(forwarded).split(',');
    return hops[hops.length - 1].trim();
  }
  return socketAddress;
}
