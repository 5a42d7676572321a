'use strict';

// When a live `_changes` feed (longpoll, continuous, eventsource) sends heartbeats and when it
// ends, as CouchDB decides it (`chttpd_db:get_changes_timeout`): a `heartbeat` (ms, or `true`
// for the default) keeps the feed open for good, writing a newline whenever it is idle that
// long, and `timeout` is then ignored; without one nothing is written while idle and the feed
// ends after `timeout` ms, at most `changes_timeout` (60 s by default).

var DEFAULT_MS = 60000;

function isMs(value) {
  return typeof value === 'number' && isFinite(value) && value >= 0;
}

/** {heartbeat: ms or null, timeout: ms or null (never ends)} for a request's parsed query. */
function liveFeedTiming(query) {
  var heartbeat = query.heartbeat;
  if (heartbeat === true || heartbeat === 'true') {
    return {heartbeat: DEFAULT_MS, timeout: null};
  }
  if (isMs(heartbeat)) {
    return {heartbeat: Math.min(Math.max(heartbeat, 1), DEFAULT_MS), timeout: null};
  }
  return {heartbeat: null, timeout: isMs(query.timeout) ? Math.min(query.timeout, DEFAULT_MS) : DEFAULT_MS};
}

module.exports = {liveFeedTiming: liveFeedTiming};
