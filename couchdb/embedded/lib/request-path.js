'use strict';

// Two ways CouchDB reads a request path that Express does not (express middleware):
// - a `+` in the path is a space (mochiweb decodes paths as form data), so `PUT /db/a+b` writes
//   the doc `a b`; a literal plus is `%2B`;
// - `GET /db/_design%2Fname` is answered with a 301 to `/db/_design/name`, as chttpd does, so
//   the escaped and the plain spelling never name two different things.

var DESIGN_ESCAPED = /^\/([^/]+)\/_design%2F(.*)$/i;

function splitUrl(url) {
  var q = url.indexOf('?');
  return q === -1 ? [url, ''] : [url.slice(0, q), url.slice(q)];
}

function decodePlus(req, res, next) {
  var parts = splitUrl(req.url);
  if (parts[0].indexOf('+') !== -1) {
    req.url = parts[0].replace(/\+/g, '%20') + parts[1];
    // the vhost resolver rebuilds req.url from originalUrl
    var original = splitUrl(req.originalUrl);
    req.originalUrl = original[0].replace(/\+/g, '%20') + original[1];
  }
  next();
}

function redirectEscapedDesign(req, res, next) {
  var parts = splitUrl(req.url);
  var match = req.method === 'GET' && DESIGN_ESCAPED.exec(parts[0]);
  if (!match) {
    return next();
  }
  var location = '/' + match[1] + '/_design/' + match[2] + parts[1];
  res.statusCode = 301;
  res.setHeader('Location', 'http://' + (req.headers.host || 'localhost') + location);
  res.end();
}

module.exports = {decodePlus: decodePlus, redirectEscapedDesign: redirectEscapedDesign};
