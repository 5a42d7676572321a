'use strict';

// Options of the AuthSession cookie, as CouchDB sets them: HttpOnly; SameSite from
// `[couch_httpd_auth] same_site` (so a cross-site page cannot ride a shop's session); Secure when
// the request came over TLS (directly or as the proxy's X-Forwarded-Proto says) or
// `[couch_httpd_auth] secure` is true. PouchDB Server set HttpOnly only.
exports.options = function (req, extra) {
  var config = req.app.couchConfig;
  var options = Object.assign({httpOnly: true}, extra || {});
  var sameSite = config.get('couch_httpd_auth', 'same_site');
  if (sameSite) {
    options.sameSite = String(sameSite).toLowerCase();
  }
  var proto = String(req.headers['x-forwarded-proto'] || '').split(',')[0].trim();
  if (req.secure || proto === 'https' || config.get('couch_httpd_auth', 'secure') === true) {
    options.secure = true;
  }
  return options;
};
