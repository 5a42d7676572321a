"use strict";

var utils = require('../utils');

module.exports = function (app) {
  utils.requires(app, 'routes/db');

  // Monitor database changes
  function changes(req, res) {

    utils.setJsonOrPlaintext(res);

    if (req.query.limit < 1) {
      req.query.limit = 1;
    }

    // api.changes expects a property `query_params`
    // This is a pretty inefficient way to do it.. Revisit?
    req.query.query_params = JSON.parse(JSON.stringify(req.query));

    req.query = utils.makeOpts(req, req.query);

    if (req.body && req.body.doc_ids) {
      req.query.doc_ids = req.body.doc_ids;
    }
    // shopbill (defect 3): CouchDB reads filter=_selector's selector from the POST body
    // (PouchDB looked up _design/_selector and crashed on the unhandled error)
    if (req.body && req.body.selector) {
      req.query.selector = req.body.selector;
    }
    if (req.query.filter === '_selector' && !req.query.selector) {
      return utils.sendJSON(res, 400, {
        error: 'bad_request',
        reason: 'Selector must be specified in POST payload'
      });
    }
    // shopbill: a selector the matcher cannot run (bad operator, a regex outside the linear
    // matcher) is CouchDB's 400 before the feed starts, not an error in the middle of it
    if (req.query.filter === '_selector') {
      try {
        require('../../../../lib/mango-selector').normalize(req.query.selector);
      } catch (err) {
        return utils.sendJSON(res, 400, {error: 'bad_request', reason: String(err.message)});
      }
    }

    // shopbill: CouchDB's feed=eventsource (Server-Sent Events): a continuous feed framed as
    // `data: <change>` / `id: <seq>` events (PouchDB Server answered it as a normal feed)
    var eventsource = req.query.feed === 'eventsource';
    if (eventsource) {
      req.query.feed = 'continuous';
      res.setHeader('Content-Type', 'text/event-stream');
      res.setHeader('Cache-Control', 'no-cache');
    }
    var sendChange = function (change) {
      if (eventsource) {
        return res.write('data: ' + JSON.stringify(change) + '\nid: ' + change.seq + '\n\n');
      }
      utils.writeJSON(res, change);
    };

    if (req.query.feed === 'continuous' || req.query.feed === 'longpoll') {
      var heartbeatInterval;
      // shopbill: heartbeats and the end of the feed as CouchDB times them (../../../../lib)
      var timing = require('../../../../lib/feed-timing').liveFeedTiming(req.query);
      var written = false;
      if (timing.heartbeat !== null) {
        heartbeatInterval = setInterval(function () {
          written = true;
          res.write(eventsource ? 'event: heartbeat\ndata: \n\n' : '\n');
        }, timing.heartbeat);
      }

      // shopbill: CouchDB's `timeout` (ms): a live feed with no change for that long ends
      // with its last_seq (PouchDB Server ignored it and held the feed open forever)
      var timeoutTimer;
      var endFeed = function () {
        req.db.info().then(function (info) {
          return info.update_seq;
        }, function () {
          return null;
        }).then(function (seq) {
          cleanup();
          if (eventsource) {
            // the stream just ends, as in CouchDB
          } else if (req.query.feed === 'continuous') {
            utils.writeJSON(res, {last_seq: seq});
          } else {
            res.write('],\n"last_seq":' + JSON.stringify(seq) + '}\n');
          }
          res.end();
          if (feed) {
            feed.cancel();
          }
        });
      };
      var restartTimeout = function () {
        clearTimeout(timeoutTimer);
        if (timing.timeout !== null) {
          timeoutTimer = setTimeout(endFeed, timing.timeout);
        }
      };
      var feed;

      var cleanup = function () {
        clearTimeout(timeoutTimer);
        if (heartbeatInterval) {
          clearInterval(heartbeatInterval);
        }
      };

      if (req.query.feed === 'continuous') {
        req.query.live = req.query.continuous = true;
        restartTimeout();
        feed = req.db.changes(req.query).on('change', function (change) {
          written = true;
          restartTimeout();
          sendChange(change);
        }).on('error', function (err) {
          if (!written) {
            utils.sendError(res, err);
          } else {
            res.end();
          }
          cleanup();
        });
        // shopbill: stop following the db once the client is gone (or was cut off)
        res.on('close', function () {
          feed.cancel();
          cleanup();
        });
      } else { // longpoll
        // first check if there are >0. if so, return them immediately
        req.query.live = req.query.continuous = false;
        req.db.changes(req.query).then(function (complete) {
          if (complete.results.length) {
            utils.writeJSON(res, complete);
            res.end();
            cleanup();
          } else { // do the longpolling
            // mimicking CouchDB, start sending the JSON immediately
            res.write('{"results":[\n');
            req.query.live = req.query.continuous = true;
            var changes = req.db.changes(req.query)
              .on('change', function (change) {
                utils.writeJSON(res, change);
                res.write('],\n"last_seq":' + change.seq + '}\n');
                res.end();
                changes.cancel();
                cleanup();
                req.connection.removeListener('close', cancelChanges);
              }).on('error', function (err) {
                // shouldn't happen
                console.log(err);
                res.end();
                cleanup();
                req.connection.removeListener('close', cancelChanges);
              }).on('complete', function () {
                cleanup();
                req.connection.removeListener('close', cancelChanges);
              });

            var cancelChanges = function () {
              changes.cancel();
            }
            feed = changes;
            restartTimeout();

            req.connection.on('close', cancelChanges);
          }
        }, function (err) {
          if (!written) {
            utils.sendError(res, err);
          }
          cleanup();
        });
      }
    } else { // straight shot, not continuous
      req.db.changes(req.query).then(function (response) {
        utils.sendJSON(res, 200, response);
      }).catch(function (err) {
        utils.sendError(res, err);
      });
    }
  }
  app.get('/:db/_changes', changes);
  app.post('/:db/_changes', utils.jsonParser, changes);
};
