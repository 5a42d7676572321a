/*
	Copyright 2013-2015, Marten de Vries

	Licensed under the Apache License, Version 2.0 (the "License");
	you may not use this file except in compliance with the License.
	You may obtain a copy of the License at

	http://www.apache.org/licenses/LICENSE-2.0

	Unless required by applicable law or agreed to in writing, software
	distributed under the License is distributed on an "AS IS" BASIS,
	WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
	See the License for the specific language governing permissions and
	limitations under the License.
*/

"use strict";

var coucheval = require("couchdb-eval");
var couchdb_objects = require("couchdb-objects");
var wrappers = require("pouchdb-wrappers");
var createBulkDocsWrapper = require("pouchdb-bulkdocs-wrapper");
var PouchPluginError = require("pouchdb-plugin-error");

var uuid = require("random-uuid-v4");
var Promise = require("pouchdb-promise");

// shopbill: VDUs are compiled once per database and cached (defect 10), Mango VDUs
// ("language": "query", apache/couchdb PR #5839) are supported (defect 9), and the doc being
// written is never modified: the old code overwrote newDoc._revisions with the stored doc's
// history, which silently dropped replicated (new_edits=false) edits, histories and conflicts
// (defect 6). See couchdb/embedded/lib/vdu.js.
var vdu = require("../../../lib/vdu");

function compileJs(designDoc) {
  var func = coucheval.evaluate(designDoc, {}, designDoc.validate_doc_update);
  return function runJs(newDoc, oldDoc, userCtx, secObj) {
    try {
      func.call(designDoc, newDoc, oldDoc, userCtx, secObj);
    } catch (e) {
      if (typeof e.unauthorized !== "undefined") {
        throw new PouchPluginError({name: "unauthorized", message: e.unauthorized, status: 401});
      } else if (typeof e.forbidden !== "undefined") {
        throw new PouchPluginError({name: "forbidden", message: e.forbidden, status: 403});
      }
      throw coucheval.wrapExecutionError(e);
    }
  };
}

function isNewEdits(options) {
  return options.new_edits !== false && options.new_edits !== "false";
}

function doValidation(db, newDoc, options, absent) {
  options = options || {};
  var isHttp = ["http", "https"].indexOf(db.type()) !== -1;
  if (isHttp && !options.checkHttp) {
    //CouchDB does the checking for itself. Validate succesful.
    return Promise.resolve();
  }
  if (String(newDoc._id).indexOf("_local") === 0) {
    return Promise.resolve();
  }
  if (vdu.isDesignId(newDoc._id)) {
    // Like CouchDB, VDUs do not judge design docs; a Mango VDU must compile to be stored.
    try {
      vdu.checkDesignDoc(newDoc);
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.resolve();
  }
  return vdu.functionsFor(db, compileJs).then(function (validationFuncs) {
    if (!validationFuncs.length) {
      //no validation functions, so valid!
      return;
    }
    return completeValidationOptions(db, options).then(function (completeOptions) {
      // against the doc it replaces; a conflict or an already stored revision is not judged
      return vdu.validate(db, validationFuncs, newDoc, isNewEdits(options), absent,
        completeOptions.userCtx, completeOptions.secObj);
    });
  });
}

function completeValidationOptions(db, options) {
  if (!options.secObj) {
    options.secObj = {};
  }

  var userCtxPromise;
  if (options.userCtx) {
    userCtxPromise = Promise.resolve(options.userCtx);
  } else {
    var buildUserContext = couchdb_objects.buildUserContextObject;
    userCtxPromise = db.info().then(buildUserContext);
  }
  return userCtxPromise.then(function (userCtx) {
    options.userCtx = userCtx;
    return options;
  });
}

// After a design doc is written (or a write that may contain one), drop the cached VDUs.
function invalidatingAfter(db, docs, promise) {
  var touchesDesign = docs.some(function (doc) {
    return doc && vdu.isDesignId(doc._id);
  });
  if (!touchesDesign) {
    return promise;
  }
  return promise.then(function (result) {
    vdu.invalidate(db.name);
    return result;
  }, function (err) {
    vdu.invalidate(db.name);
    throw err;
  });
}

var wrapperApi = {};

wrapperApi.put = function (orig, args) {
  return invalidatingAfter(args.base, [args.doc],
    doValidation(args.base, args.doc, args.options).then(orig));
};

wrapperApi.post = function (orig, args) {
  args.doc._id = args.doc._id || uuid();
  return invalidatingAfter(args.base, [args.doc],
    doValidation(args.base, args.doc, args.options).then(orig));
};

wrapperApi.remove = function (orig, args) {
  args.doc._deleted = true;
  // Like CouchDB's DELETE, the VDU sees the tombstone only: {_id, _rev, _deleted: true}.
  var tombstone = {_id: args.doc._id, _rev: args.doc._rev || (args.options || {}).rev, _deleted: true};
  return invalidatingAfter(args.base, [args.doc],
    doValidation(args.base, tombstone, args.options).then(orig));
};

var validatingBulkDocs = createBulkDocsWrapper(function (doc, args) {
  doc._id = doc._id || uuid();
  return doValidation(args.base, doc, args.options, args.absentIds);
});
wrapperApi.bulkDocs = function (orig, args) {
  var docs = args.docs.slice();
  // shopbill: the docs whose oldDoc is looked up are first found absent or not, at once
  var validated = vdu.absentIds(args.base, docs, isNewEdits(args.options || {}), compileJs).then(function (absent) {
    args.absentIds = absent;
    return validatingBulkDocs(orig, args);
  });
  return invalidatingAfter(args.base, docs, validated);
};

wrapperApi.putAttachment = function (orig, args) {
  return args.base.get(args.docId, {rev: args.rev, revs: true})
    .catch(function () {
      return {_id: args.docId};
    })
    .then(function (doc) {
      //validate the doc + attachment
      doc._attachments = doc._attachments || {};
      doc._attachments[args.attachmentId] = {
        content_type: args.type,
        data: args.doc
      };

      return doValidation(args.base, doc, args.options);
    })
    .then(orig);
};

wrapperApi.removeAttachment = function (orig, args) {
  return args.base.get(args.docId, {rev: args.rev, revs: true})
    .then(function (doc) {
      //validate the doc without attachment
      delete doc._attachments[args.attachmentId];

      return doValidation(args.base, doc, args.options);
    })
    .then(orig);
};

Object.keys(wrapperApi).forEach(function (name) {
  var exportName = "validating" + name[0].toUpperCase() + name.substr(1);
  var orig = function () {
    return this[name].apply(this, arguments);
  };
  exports[exportName] = wrappers.createWrapperMethod(name, orig, wrapperApi[name]);
});

var destroyHooked = [];

exports.installValidationMethods = function () {
  var db = this;
  // A destroyed (and maybe recreated) database must not keep its old VDUs.
  var PouchDB = db.constructor;
  if (PouchDB && typeof PouchDB.on === "function" && destroyHooked.indexOf(PouchDB) === -1) {
    destroyHooked.push(PouchDB);
    PouchDB.on("destroyed", function (name) {
      vdu.invalidate(name);
    });
  }

  try {
    wrappers.installWrapperMethods(db, wrapperApi);
  } catch (err) {
    throw new PouchPluginError({
      status: 500,
      name: "already_installed",
      message: "Validation methods are already installed on this database."
    });
  }
};

exports.uninstallValidationMethods = function () {
  var db = this;

  try {
    wrappers.uninstallWrapperMethods(db, wrapperApi);
  } catch (err) {
    throw new PouchPluginError({
      status: 500,
      name: "already_not_installed",
      message: "Validation methods are already not installed on this database."
    });
  }
};
