'use strict';

// shopbill: CouchDB's GET /_db_updates (this file only answered 400: "TODO: implement")
module.exports = require('../../../../lib/db-updates');
