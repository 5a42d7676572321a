"use strict";

var corser = require('corser');

module.exports = function (config) {
  var corsMiddleware;
  function corsChanged() {
    if (config.get('httpd', 'enable_cors')) {
      // shopbill: only the configured origins, never a reflected one (../../../lib/cors-origins.js)
      var origins = require('../../../lib/cors-origins').matcher(
        config.get('cors', 'origins'), config.get('cors', 'credentials'));

      corsMiddleware = corser.create({
        methods: config.get('cors', 'methods').split(', '),
        supportsCredentials: config.get('cors', 'credentials'),
        requestHeaders: config.get('cors', 'headers').split(', '),
        origins: origins
      });
    } else {
      corsMiddleware = null;
    }
  }

  [
    ['httpd', 'enable_cors', true],
    ['cors', 'credentials', true],
    ['cors', 'methods', 'GET, HEAD, POST, PUT, DELETE, COPY'],
    ['cors', 'origins', '*'],
    ['cors', 'headers', corser.simpleRequestHeaders.concat([
      'Authorization', 'Origin', 'Referer'
    ]).join(', ')],
  ].forEach(function (info) {
    config.registerDefault.apply(config, info);
    config.on(info[0] + '.' + info[1], corsChanged);
  });
  corsChanged();

  return function (req, res, next) {
    if (!corsMiddleware) {
      return next();
    }
    corsMiddleware(req, res, next);
  };
};
