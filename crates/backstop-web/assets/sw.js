/* backstop's service worker: keeps the pages a lifter needs at the gym (Today with the session under way and
   its plan, the Week, the explanations) and the static files available without a connection. Pages are fetched
   from the network first and kept as they were last seen; without a connection the kept copy is shown. Sets
   logged without a connection are queued by app.js, not here: this worker never sends anything by itself.
   The server writes the version into CACHE when it serves this file, so a new build replaces the old copies. */
'use strict';

var CACHE = 'backstop-__VERSION__';
var ASSETS = ['/assets/app.css', '/assets/app.js', '/assets/__HTMX__', '/manifest.webmanifest',
  '/assets/icon-192.png', '/assets/icon-512.png'];
var PAGES = ['/today', '/week', '/learn'];

self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) {
    // The pages are kept on a best-effort basis (a signed-out browser gets the sign-in page, which is not kept).
    return c.addAll(ASSETS).then(function () {
      return Promise.all(PAGES.map(function (p) { return keepPage(c, p); }));
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('backstop-') === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page is kept under its path alone (/today?logged=x and /today are one page: the newest copy wins), and only
// when it is the page itself (not a redirect to sign in, not an error).
function keepPage(cache, path) {
  return fetch(path, { credentials: 'same-origin' }).then(function (r) {
    if (r.ok && !r.redirected) return cache.put(path, r);
  }).catch(function () {});
}

function pageKey(url) {
  return PAGES.indexOf(url.pathname) >= 0 ? url.pathname : null;
}

// A page asks for its own fresh copy to be kept once it has loaded (app.js): pages reached by a form's redirect
// never pass through this worker's fetch handler.
self.addEventListener('message', function (e) {
  var path = e.data && e.data.keep;
  if (PAGES.indexOf(path) >= 0) {
    e.waitUntil(caches.open(CACHE).then(function (c) { return keepPage(c, path); }));
  }
});

self.addEventListener('fetch', function (e) {
  var req = e.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  var key = pageKey(url);
  if (key) {
    e.respondWith(fetch(req).then(function (r) {
      if (r.ok && !r.redirected) {
        var copy = r.clone();
        caches.open(CACHE).then(function (c) { return c.put(key, copy); });
      }
      return r;
    }).catch(function () {
      return caches.match(key).then(function (hit) {
        return hit || new Response('<!doctype html><meta charset="utf-8"><title>Offline · backstop</title>' +
          '<p>No connection, and this page was not opened here before. Open Today once with a connection.</p>',
          { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      });
    }));
    return;
  }
  if (url.pathname.indexOf('/assets/') === 0 || url.pathname === '/manifest.webmanifest') {
    e.respondWith(caches.match(url.pathname).then(function (hit) {
      return hit || fetch(req);
    }));
  }
});
