'use strict';

// What this server does beyond PouchDB Server, listed under "features" in `GET /` (CouchDB lists
// its optional features there too), so clients and the conformance suite can probe for them.
module.exports = [
  'db_updates', // GET /_db_updates
  'feed_revocation' // a `_users` change cuts that user's open requests and feeds
];
