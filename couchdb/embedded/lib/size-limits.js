'use strict';

// CouchDB's two size limits, which PouchDB Server lacked (a 100 MB `_local` doc was stored and
// the process grew to 834 MB): `[chttpd] max_http_request_size` bounds any request body (413
// `too_large`), `[couchdb] max_document_size` each written document, `_local` ones included
// (413 `document_too_large`, the reason naming the doc).

var wrappers = require('pouchdb-wrappers');

var limits = {request: 67108864, document: 4194304};

function tooLarge(id) {
  var err = new Error(String(id || ''));
  err.status = 413;
  err.name = 'document_too_large';
  return err;
}

function oversized(doc) {
  return doc && typeof doc === 'object' &&
    Buffer.byteLength(JSON.stringify(doc)) > limits.document;
}

// Refusals are rejected promises, never throws: a throw would escape the route's error handling.
function guarded(docsOf) {
  return function (orig, args) {
    var big = docsOf(args).filter(oversized)[0];
    return big ? Promise.reject(tooLarge(big._id)) : orig();
  };
}

var handlers = {
  put: guarded(function (args) { return [args.doc]; }),
  post: guarded(function (args) { return [args.doc]; }),
  bulkDocs: guarded(function (args) { return args.docs || []; })
};

// A dbWrapper, so every write path (PUT, POST, _bulk_docs, replication) is held to the limit.
exports.dbWrapper = function (name, db, next) {
  wrappers.installWrapperMethods(db, handlers);
  return next();
};

// Refuses a body whose declared length is over the limit before it is read; body-parser and
// raw-body (given `limits.request` by server/express-pouchdb) stop a chunked one once it passes the limit.
exports.requestGate = function (req, res, next) {
  var length = parseInt(req.headers['content-length'], 10);
  if (length > limits.request) {
    res.set('Connection', 'close');
    return res.status(413).json({error: 'too_large', reason: 'the request entity is too large'});
  }
  next();
};

exports.requestLimit = function () {
  return limits.request;
};

exports.configure = function (config) {
  config.registerDefault('chttpd', 'max_http_request_size', limits.request);
  config.registerDefault('couchdb', 'max_document_size', limits.document);
  function read() {
    limits.request = parseInt(config.get('chttpd', 'max_http_request_size'), 10) || limits.request;
    limits.document = parseInt(config.get('couchdb', 'max_document_size'), 10) || limits.document;
  }
  read();
  config.on('chttpd.max_http_request_size', read);
  config.on('couchdb.max_document_size', read);
};
