"use strict";

var utils = require('../utils');

module.exports = function (app) {
  // Stats (stub for now)
  // shopbill: admin-only counters of the validate_doc_update cache (CouchDB 1.x-style /_stats
  // shape), so tests can observe that design docs are read and compiled once, not per write.
  app.get('/_stats', function (req, res) {
    var userCtx = (req.couchSession || {}).userCtx || {};
    if (!userCtx.name && (userCtx.roles || []).indexOf('_admin') === -1) {
      return utils.sendJSON(res, 401, {error: 'unauthorized', reason: 'You are not a server admin.'});
    }
    if ((userCtx.roles || []).indexOf('_admin') === -1) {
      return utils.sendJSON(res, 403, {error: 'forbidden', reason: 'You are not a server admin.'});
    }
    var counters = require('../../../../lib/vdu').stats;
    var section = {};
    Object.keys(counters).forEach(function (name) {
      section['vdu_' + name] = {value: counters[name], type: 'counter'};
    });
    utils.sendJSON(res, 200, {shopbill: section});
  });
};
