"use strict";
var compression = require('compression');

// shopbill: never gzip a live feed (continuous/longpoll/eventsource _changes, _db_updates):
// gzip held its lines and heartbeats back until a buffer filled, so clients sending
// Accept-Encoding: gzip saw nothing. CouchDB does not compress these either.
function isLiveFeed(req) {
  var feed = req.query && req.query.feed;
  return /\/(_changes|_db_updates)$/.test(req.path) &&
    ['continuous', 'longpoll', 'eventsource'].indexOf(feed) !== -1;
}

module.exports = function (app) {
  app.use(compression({
    filter: function (req, res) {
      return !isLiveFeed(req) && compression.filter(req, res);
    }
  }));
};
