#!/usr/bin/env node
'use strict';

// Entry point of the embedded CouchDB-protocol server: our copy of PouchDB Server 4.2.0 (server/)
// over PouchDB 9.0.0, with our additions (lib/). Takes pouchdb-server's command line.
//
// Before the server starts, the config file gets a cookie-signing secret if it has none, kept
// for good, as CouchDB keeps `[chttpd_auth] secret`: PouchDB Server picked a random secret per
// process, so every AuthSession cookie died with a restart (defect 13).

var crypto = require('crypto');
var fs = require('fs');

function configPath(argv) {
  for (var i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--config' || argv[i] === '-c') {
      return argv[i + 1];
    }
    if (argv[i].indexOf('--config=') === 0) {
      return argv[i].slice('--config='.length);
    }
  }
  return './config.json';
}

function ensureCookieSecret(path) {
  var config = fs.existsSync(path) ? JSON.parse(fs.readFileSync(path, 'utf8') || '{}') : {};
  var auth = config.couch_httpd_auth = config.couch_httpd_auth || {};
  if (!auth.secret) {
    auth.secret = crypto.randomBytes(32).toString('hex');
    fs.writeFileSync(path, JSON.stringify(config, null, 2), {mode: 0o600});
  }
}

// Admin passwords given in plaintext (services/ops/embedded.py writes them at every start) are
// hashed here with a salt derived from the secret, the name and the password, instead of a
// random one: the same password keeps the same salt, so the admin's AuthSession cookies survive
// a restart as in CouchDB, and a new password still ends them (CouchDB changes the salt too).
function hashPlaintextAdmins(path) {
  var config = JSON.parse(fs.readFileSync(path, 'utf8'));
  var admins = config.admins || {};
  var iterations = parseInt((config.couch_httpd_auth || {}).iterations, 10) ||
    require('./lib/password-hash').DEFAULT_ITERATIONS;
  var hashPassword = require('pouchdb-auth/lib/utils').hashPassword;
  var names = Object.keys(admins).filter(function (name) {
    return !/^-(?:pbkdf2|hashed)-/.test(admins[name]);
  });
  return Promise.all(names.map(function (name) {
    var salt = crypto.createHmac('sha256', config.couch_httpd_auth.secret)
      .update(name + '\0' + admins[name]).digest('hex').slice(0, 32);
    return hashPassword(admins[name], salt, iterations).then(function (key) {
      admins[name] = '-pbkdf2-' + key + ',' + salt + ',' + iterations;
    });
  })).then(function () {
    if (names.length) {
      fs.writeFileSync(path, JSON.stringify(config, null, 2), {mode: 0o600});
    }
  });
}

// A promise nobody waited for must not take every shop's server down with it: log it, serve on.
process.on('unhandledRejection', function (reason) {
  console.error('[error] unhandled rejection:', (reason && reason.stack) || reason);
});

// Every file the server writes (config.json with the cookie secret and admin hashes, the LevelDB
// files with `_users` hashes and shop data, the log) is readable by this user only: PouchDB
// Server rewrites config.json with the default mode.
process.umask(0o077);

var config = configPath(process.argv.slice(2));
if (fs.existsSync(config)) {
  fs.chmodSync(config, 0o600);  // a file written before the umask above
}
ensureCookieSecret(config);
hashPlaintextAdmins(config).then(function () {
  require('pouchdb-server/lib/index.js');
});
