/*
    Copyright 2014, Marten de Vries

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

var Promise = require("pouchdb-promise");

module.exports = function createBulkDocsWrapper(handler) {
  return bulkDocsWrapper.bind(null, handler);
};

function bulkDocsWrapper(handler, bulkDocs, args) {
  //the ``all_or_nothing`` attribute on ``bulkDocs`` is unsupported.
  //shopbill (defect 11): CouchDB answers _bulk_docs in input order, so the
  //docs that pass the handler keep their order and every result (error or
  //write) is put back at its doc's index.

  var results = new Array(args.docs.length);
  var passed = []; // indexes of the docs handed on to bulkDocs

  var promises = args.docs.map(function (doc, i) {
    return handler(doc, args)
      .then(function () {
        passed.push(i);
      })
      .catch(function (err) {
        err.id = doc._id;
        results[i] = err;
      });
  });
  var docs = args.docs;
  return Promise.all(promises)
    .then(function () {
      passed.sort(function (a, b) { return a - b; });
      args.docs = passed.map(function (i) { return docs[i]; });

      return bulkDocs();
    })
    .then(function (dbResponses) {
      var refused = results.filter(Boolean);
      if ((args.options || {}).new_edits === false) {
        // new_edits=false answers only its errors: nothing to align
        return refused.concat(dbResponses);
      }
      passed.forEach(function (docIndex, k) {
        results[docIndex] = dbResponses[k];
      });
      return results;
    });
}
