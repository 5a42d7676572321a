'use strict';

// Which origins get CORS answers, as CouchDB's `[cors] origins`: the listed ones, exactly.
// corser (PouchDB Server's CORS) took `*` or an empty list as "reflect every origin", with
// credentials allowed, so any web page could read a signed-in shop's data through the browser.
// Here `*` means every origin only without credentials (CouchDB refuses that pairing), and an
// empty list means none.

function parse(value) {
  return String(value || '').split(',').map(function (o) {
    return o.trim();
  }).filter(Boolean);
}

// corser's `origins` option as a function (origin, callback(err, allowed)).
exports.matcher = function (originsSetting, credentials) {
  var origins = parse(originsSetting);
  var any = origins.indexOf('*') !== -1 && !credentials;
  return function (origin, callback) {
    callback(null, any || origins.indexOf(origin) !== -1);
  };
};
