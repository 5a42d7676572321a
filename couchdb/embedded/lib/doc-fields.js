'use strict';

// CouchDB reads a written document's special fields before anything else sees it
// (`couch_doc:from_json_obj`): `_conflicts`, `_deleted_conflicts`, `_local_seq` and `_revs_info`
// are read-only answers, never stored; `_attachments: {}` means no attachments and
// `_deleted: false` a live doc. So a VDU never sees them and the stored doc does not keep them.
// PouchDB kept all of them, so a VDU that refused unknown `_` fields refused these writes.

var wrappers = require('pouchdb-wrappers');

var READ_ONLY = ['_conflicts', '_deleted_conflicts', '_local_seq', '_revs_info'];

function isEmptyObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) &&
    Object.keys(value).length === 0;
}

/** Removes, in place, the fields CouchDB drops from a written doc; returns the doc. */
function stripSpecialFields(doc) {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return doc;
  }
  READ_ONLY.forEach(function (field) {
    delete doc[field];
  });
  if (isEmptyObject(doc._attachments)) {
    delete doc._attachments;
  }
  if (doc._deleted === false) {
    delete doc._deleted;
  }
  return doc;
}

var handlers = {
  put: function (orig, args) {
    stripSpecialFields(args.doc);
    return orig();
  },
  post: function (orig, args) {
    stripSpecialFields(args.doc);
    return orig();
  },
  bulkDocs: function (orig, args) {
    (args.docs || []).forEach(stripSpecialFields);
    return orig();
  }
};

// A dbWrapper: registered before validation's, so it runs before any VDU does.
function dbWrapper(name, db, next) {
  wrappers.installWrapperMethods(db, handlers);
  return next();
}

module.exports = {stripSpecialFields: stripSpecialFields, dbWrapper: dbWrapper};
