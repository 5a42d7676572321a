'use strict';

// PBKDF2 for `_users` and admin passwords at CouchDB's cost. pouchdb-auth hashed with a pure-JS
// PBKDF2 on the event loop at 10 iterations; at CouchDB's 600,000 that would freeze every shop for
// each login, so the work runs in libuv's thread pool (node's crypto), and a verified
// (password, salt, iterations) is remembered, as CouchDB's couch_passwords_cache does, so that
// Basic auth on every request costs one hash per user, not one per request.

var crypto = require('crypto');

// CouchDB's `[chttpd_auth] iterations` default (etc/default.ini of CouchDB 3.4+ and main).
exports.DEFAULT_ITERATIONS = 600000;

var MAX_CACHED = 2000;
// The cache's keys are HMACs under a key that never leaves this process, so a heap dump does not
// hold anything to guess passwords offline against.
var cacheKey = crypto.randomBytes(32);
var cache = new Map();

function remember(key, value) {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > MAX_CACHED) {
    cache.delete(cache.keys().next().value);
  }
}

// Same result as pouchdb-auth's hashPassword (PBKDF2-HMAC-SHA1, 20 bytes, hex), as a promise.
exports.hashPassword = function (password, salt, iterations) {
  iterations = parseInt(iterations, 10) || exports.DEFAULT_ITERATIONS;
  var key = crypto.createHmac('sha256', cacheKey)
    .update(String(password) + '\0' + salt + '\0' + iterations).digest('hex');
  if (cache.has(key)) {
    var hit = cache.get(key);
    remember(key, hit);
    return Promise.resolve(hit);
  }
  return new Promise(function (resolve, reject) {
    crypto.pbkdf2(String(password), String(salt), iterations, 20, 'sha1', function (err, derived) {
      if (err) {
        return reject(err);
      }
      var hex = derived.toString('hex');
      remember(key, hex);
      resolve(hex);
    });
  });
};
