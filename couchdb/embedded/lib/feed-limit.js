'use strict';

// A cap on the live `_changes` feeds (continuous, longpoll, eventsource) one user holds open at
// once: `[chttpd] max_open_feeds_per_user` (default 16), beyond it 429 `too_many_requests`,
// as a proxy in front of CouchDB would answer. Every open feed holds a socket, timers and a
// follower of the db in this one process, so a single shop with hundreds of feeds starved every
// other shop's requests. A phone needs one or two; server admins (the services) are exempt.

var DEFAULT_MAX = 16;
var LIVE_FEEDS = ['continuous', 'longpoll', 'eventsource'];
var CHANGES_PATH = /^\/[^/]+\/_changes\/?$/;

var max = DEFAULT_MAX;
var open = new Map(); // user name -> number of its live feeds now open

function isLiveFeed(req) {
  return (req.method === 'GET' || req.method === 'POST') && CHANGES_PATH.test(req.path) &&
    LIVE_FEEDS.indexOf(req.query.feed) !== -1;
}

function release(name) {
  var left = (open.get(name) || 1) - 1;
  if (left > 0) {
    open.set(name, left);
  } else {
    open.delete(name);
  }
}

/** Express middleware (after authentication): counts a user's live feeds, refuses past the cap. */
function gate(req, res, next) {
  var userCtx = req.couchSession.userCtx;
  if (!userCtx.name || userCtx.roles.indexOf('_admin') !== -1 || !isLiveFeed(req)) {
    return next();
  }
  var count = open.get(userCtx.name) || 0;
  if (count >= max) {
    return res.status(429).json({
      error: 'too_many_requests',
      reason: 'at most ' + max + ' open _changes feeds per user; close one first'
    });
  }
  open.set(userCtx.name, count + 1);
  var released = false;
  function done() {
    if (!released) {
      released = true;
      release(userCtx.name);
    }
  }
  res.on('finish', done);
  res.on('close', done);
  next();
}

/** Reads the cap from the config, now and whenever it changes. */
function configure(config) {
  config.registerDefault('chttpd', 'max_open_feeds_per_user', DEFAULT_MAX);
  function read() {
    var value = parseInt(config.get('chttpd', 'max_open_feeds_per_user'), 10);
    max = value >= 0 ? value : DEFAULT_MAX;
  }
  read();
  config.on('chttpd.max_open_feeds_per_user', read);
}

module.exports = {gate: gate, configure: configure};
