/* The app shell's service worker: every file of the build is cached at install (the list and the
 * version are filled in by vite.config.ts), and served from the cache first, so the app opens with
 * no network. Only this app's own files are handled; /v1 and CouchDB requests go to the network.
 * Shop data never lives here: it is in IndexedDB (PouchDB). */
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `shopbill-app-${VERSION}`;
const SCOPE = new URL('./', self.location).href;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES.map((f) => SCOPE + f)))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k.startsWith('shopbill-app-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) {
    return;
  }
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  // a navigation to a route of the app (e.g. /app/ itself) gets the app's page
  const fallback = request.mode === 'navigate' ? SCOPE + 'index.html' : null;
  event.respondWith(caches.open(CACHE).then(async (cache) => (await cache.match(url.href))
    || (fallback && await cache.match(fallback)) || fetch(request)));
});
