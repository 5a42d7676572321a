#!/usr/bin/env node
'use strict';

// Entry point of the embedded CouchDB-protocol server: PouchDB Server 4.2.0 with our patches
// (patches/) and additions (lib/). Takes pouchdb-server's command line unchanged.
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

ensureCookieSecret(configPath(process.argv.slice(2)));

// A promise nobody waited for must not take every shop's server down with it: log it, serve on.
process.on('unhandledRejection', function (reason) {
  console.error('[error] unhandled rejection:', (reason && reason.stack) || reason);
});

require('pouchdb-server/lib/index.js');
