'use strict';

// unified access to creating/deleting PouchDB databases,
// to re-use PouchDB objects and avoid race conditions

var Promise = require('pouchdb-promise');

// shopbill: the open dbs live in an LRU that closes idle ones, like CouchDB's max_dbs_open
// (defect 12)
var dbCache = require('../../../lib/db-cache');

var promiseChain = Promise.resolve();

// do all creations/deletions in a single global lock
// obviously this makes this operation slow... but hopefully you aren't
// creating and destroying a lot of databases all the time
function doSequentially(fun) {
  var result = promiseChain.then(fun);
  // shopbill (defect 2): one failed step (e.g. a refused DELETE) must not leave the chain
  // rejected, or every later db open hangs; the caller still gets the failure.
  promiseChain = result.catch(function () {});
  return result;
}

// `res` (optional): the request that uses the db, which stays open until it ends
function getOrCreateDB(PouchDB, dbName, res) {
  return doSequentially(function () {
    return dbCache.get(PouchDB, dbName, res);
  });
}

function deleteDB(PouchDB, dbName, opts) {
  return doSequentially(function () {
    return dbCache.forget(dbName).then(function (db) {
      if (!db) {
        // if the db wasn't cached, we may still need to destroy it
        // if it's saved to disk
        return PouchDB.destroy(dbName, opts);
      }
      return db.destroy(opts);
    });
  });
}

exports.getOrCreateDB = getOrCreateDB;
exports.deleteDB = deleteDB;