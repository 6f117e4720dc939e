/* backstop: small progressive enhancements. The pages work without this file.
   Plain ES2017, no dependencies; behaviour is attached by delegation on
   document, and init() re-runs after htmx settles swapped content. */
(function () {
  'use strict';

  var timerId = null;
  var timerEl = null;
  var confirmedForms = new WeakSet();

  function show(el, visible, text) {
    if (!el) return;
    if (visible && typeof text === 'string') el.textContent = text;
    el.hidden = !visible;
    if (visible) el.setAttribute('role', 'alert');
    else el.removeAttribute('role');
  }

  // a) live warning when the chosen pain is above the ceiling
  function checkCeiling(input) {
    var row = input.closest('fieldset.pain-row[data-ceiling]');
    if (!row || row.classList.contains('rpe-row')) return;
    var form = input.closest('form');
    if (!form) return;
    var ceiling = parseInt(row.getAttribute('data-ceiling'), 10);
    var value = parseInt(input.value, 10);
    if (isNaN(ceiling) || isNaN(value)) return;
    show(form.querySelector('.ceiling-warning-live'), value > ceiling,
      'Pain ' + value + ' is above your ceiling of ' + ceiling +
      ': stop this exercise for today, or switch to the easier option below.');
  }

  // b) warning when symptoms are felt in the leg (checkbox or radio group)
  function checkLeg(form) {
    if (!form) return;
    var leg = form.querySelector('input[name="felt"][value="leg"]:checked');
    show(form.querySelector('.leg-warning-live'), !!leg);
  }

  document.addEventListener('change', function (e) {
    var t = e.target;
    if (!(t instanceof HTMLInputElement)) return;
    if (t.type === 'radio' && t.closest('fieldset.pain-row')) checkCeiling(t);
    if (t.name === 'felt') checkLeg(t.closest('form'));
  });

  // c) rest timer; data-started holds the end time so a restored page resumes
  function fmt(s) {
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ':' + (r < 10 ? '0' : '') + r;
  }

  function startTimer() {
    var el = document.querySelector('.rest-timer[data-seconds]');
    if (!el || (el === timerEl && timerId !== null)) return;
    var end = parseInt(el.getAttribute('data-started'), 10);
    if (isNaN(end)) {
      var secs = parseInt(el.getAttribute('data-seconds'), 10);
      if (isNaN(secs) || secs < 0) return;
      end = Date.now() + secs * 1000;
      el.setAttribute('data-started', String(end));
    }
    if (timerId !== null) clearInterval(timerId);
    timerEl = el;
    el.hidden = false;
    function stop() { clearInterval(timerId); timerId = null; }
    function tick() {
      if (!el.isConnected) { stop(); timerEl = null; return; }
      var left = Math.ceil((end - Date.now()) / 1000);
      if (left > 0) { el.textContent = 'Rest ' + fmt(left); return; }
      el.textContent = 'Rest over: next set when ready';
      stop();
    }
    timerId = setInterval(tick, 1000);
    tick();
  }

  // e) confirmation for destructive forms, with or without htmx
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    var msg = form.getAttribute('data-confirm');
    if (!msg) return;
    if (window.confirm(msg)) { confirmedForms.add(form); return; }
    e.preventDefault();
    e.stopPropagation();
  }, true);

  document.addEventListener('htmx:beforeRequest', function (e) {
    var elt = e.detail && e.detail.elt;
    if (!elt || !elt.getAttribute) return;
    var msg = elt.getAttribute('data-confirm');
    if (!msg) return;
    if (confirmedForms.delete(elt)) return; // already asked on submit
    if (!window.confirm(msg)) e.preventDefault();
  });

  // bring warnings in line with any pre-checked inputs, then start the timer
  function init() {
    var checked = document.querySelectorAll('fieldset.pain-row[data-ceiling] input[type=radio]:checked');
    for (var i = 0; i < checked.length; i++) checkCeiling(checked[i]);
    var felt = document.querySelectorAll('.leg-warning-live');
    for (var j = 0; j < felt.length; j++) checkLeg(felt[j].closest('form'));
    startTimer();
    detectZone();
    noneOfThese();
    applyOfflineStart();
    showQueue();
    keepThisPage();
    if (navigator.onLine) flush();
  }

  // The red-flag questions: "None of these apply to me" marks No on every question left open, so nobody taps No
  // eighteen times. It never submits: pressing Enter in another field must not answer the safety questions, so it
  // is a plain button, shown only with this script (without it, each question is answered by hand).
  function noneOfThese() {
    var shown = document.querySelectorAll('[data-none-of-these]');
    for (var i = 0; i < shown.length; i++) shown[i].hidden = false;
    var buttons = document.querySelectorAll('[data-none-of-these] button');
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].addEventListener('click', function (ev) {
        var form = ev.target.closest('form');
        var open = {};
        var radios = form.querySelectorAll('input[type=radio][name^="rf."]');
        for (var k = 0; k < radios.length; k++) {
          if (!(radios[k].name in open)) open[radios[k].name] = true;
          if (radios[k].checked) open[radios[k].name] = false;
        }
        for (var m = 0; m < radios.length; m++) {
          if (open[radios[m].name] && radios[m].value === 'no') radios[m].checked = true;
        }
      });
    }
  }

  // Onboarding: offer the browser's own time zone instead of the UTC placeholder (the person can change it).
  function detectZone() {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone) return;
    var inputs = document.querySelectorAll('input[data-detect-tz]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value === 'UTC' && !inputs[i].dataset.touched) inputs[i].value = zone;
    }
  }

  // f) offline logging. Every set the page sends carries an id made here (client_id), so a set sent twice is
  // stored once. Without a connection, or when sending fails, the set is kept in this browser's storage, shown
  // as not saved yet, and sent when the connection returns, oldest first; while sets wait, new ones join the
  // queue behind them, so they reach the server in the order they were done. The server answers a queued set
  // with a status: 204 stored (or stored before), 422 refused with the reason, 404 its session is gone. A refused
  // set stays listed with its reason until the person discards it: nothing is dropped silently. A session can
  // be started without a connection too: the start time and pain are kept here and go with every set.
  var QUEUE = 'backstop-unsaved-sets';
  var OFFLINE_START = 'backstop-offline-start';
  var SESSION_OPEN_SECONDS = 6 * 3600;
  var flushing = false;

  function load(key, fallback) {
    try {
      var v = JSON.parse(localStorage.getItem(key));
      return v === null ? fallback : v;
    } catch (e) { return fallback; }
  }
  function save(key, v) {
    try { localStorage.setItem(key, JSON.stringify(v)); } catch (e) { /* storage full or off: sent directly */ }
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }
  function waiting(q) { return q.filter(function (x) { return !x.error; }); }

  function describe(form) {
    var f = new FormData(form);
    var parts = [];
    if (f.get('reps')) parts.push(f.get('reps') + ' reps');
    if (f.get('seconds')) parts.push(f.get('seconds') + ' s');
    if (f.get('metres')) parts.push(f.get('metres') + ' m');
    if (f.get('load')) parts.push(f.get('load') + ' ' + (form.getAttribute('data-unit') || ''));
    if (f.get('pain')) parts.push('pain ' + f.get('pain'));
    return parts.join(' · ');
  }

  function clientId(form) {
    var input = form.elements.namedItem('client_id');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'client_id';
      form.appendChild(input);
    }
    if (!input.value) input.value = newId();
    return input;
  }

  function enqueue(form) {
    var input = clientId(form);
    var q = load(QUEUE, []);
    if (!q.some(function (x) { return x.id === input.value; })) {
      q.push({
        id: input.value,
        body: new URLSearchParams(new FormData(form)).toString(),
        exercise: form.elements.namedItem('exercise').value,
        text: describe(form),
        error: null
      });
      save(QUEUE, q);
    }
    // The form is ready for the next set: a fresh id, and the count moves on.
    input.value = '';
    var h = form.querySelector('h3');
    var m = h && /^Set (\d+) of (\d+)/.exec(h.textContent);
    if (m) {
      var next = parseInt(m[1], 10) + 1;
      var of = parseInt(m[2], 10);
      h.textContent = next <= of ? 'Set ' + next + ' of ' + of : 'Set ' + next + ' (' + of + ' planned)';
    }
    showQueue();
  }

  function childOf(parent, el) {
    while (el && el.parentNode !== parent) el = el.parentNode;
    return el;
  }

  function showQueue() {
    var q = load(QUEUE, []);
    var old = document.querySelectorAll('li.set-unsaved');
    for (var i = 0; i < old.length; i++) old[i].remove();
    q.forEach(function (x) {
      var card = document.getElementById('ex-' + x.exercise);
      if (!card) return;
      var list = card.querySelector('ol.sets');
      if (!list) {
        list = document.createElement('ol');
        list.className = 'sets';
        list.setAttribute('aria-label', 'Sets logged');
        card.insertBefore(list, childOf(card, card.querySelector('form.set-form')));
      }
      var li = document.createElement('li');
      li.className = 'set-unsaved';
      li.setAttribute('data-client-id', x.id);
      li.textContent = x.text + ' ';
      var tag = document.createElement('span');
      tag.className = 'tag tag-unsaved';
      tag.textContent = x.error ? 'not saved: ' + x.error : 'not saved yet';
      li.appendChild(tag);
      if (x.error) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'link-button discard-set';
        b.setAttribute('data-client-id', x.id);
        b.textContent = 'Discard';
        li.appendChild(document.createTextNode(' '));
        li.appendChild(b);
      }
      list.appendChild(li);
    });
    var box = document.getElementById('unsaved');
    if (!box) return;
    var n = waiting(q).length;
    var refused = q.length - n;
    var text = '';
    if (n) text += n + (n === 1 ? ' set is' : ' sets are') +
      ' not saved yet: kept on this phone and sent when the connection returns. ';
    if (refused) text += refused + (refused === 1 ? ' set' : ' sets') +
      ' could not be saved: the reason is beside each.';
    box.textContent = text;
    box.hidden = !text;
  }

  document.addEventListener('click', function (e) {
    var b = e.target instanceof Element && e.target.closest('button.discard-set');
    if (!b) return;
    var id = b.getAttribute('data-client-id');
    save(QUEUE, load(QUEUE, []).filter(function (x) { return x.id !== id; }));
    showQueue();
  });

  // Sends the queue, oldest first, one set at a time; stops at the first failure of the connection and tries
  // again later. Once all are through, Today is reloaded to show what the server holds.
  function flush() {
    if (flushing) return;
    var next = waiting(load(QUEUE, []))[0];
    if (!next) return;
    flushing = true;
    fetch('/today/sets', {
      method: 'POST',
      body: next.body,
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Backstop-Queue': '1' }
    }).then(function (r) {
      return r.text().then(function (t) { return { status: r.status, type: r.type, text: t }; });
    }).then(function (r) {
      flushing = false;
      var q = load(QUEUE, []);
      if (r.status === 204) {
        q = q.filter(function (x) { return x.id !== next.id; });
      } else if (r.status === 422 || r.status === 404) {
        q.forEach(function (x) {
          if (x.id === next.id) x.error = r.status === 404 ? 'its session was deleted' : (r.text || 'refused');
        });
      } else {
        // Signed out (a redirect to the sign-in page), or the server failed: keep everything and say so.
        var box = document.getElementById('unsaved');
        if (box && (r.type === 'opaqueredirect' || r.status === 401)) {
          box.hidden = false;
          box.textContent = 'Sets are waiting on this phone: sign in again to send them.';
        }
        return;
      }
      save(QUEUE, q);
      if (waiting(q).length) { flush(); return; }
      showQueue();
      if (!q.length && location.pathname === '/today') location.replace('/today');
    }).catch(function () { flushing = false; });
  }

  function markCeiling(row, c) {
    row.setAttribute('data-ceiling', String(c));
    var span = row.querySelector('legend .muted');
    if (span) span.textContent = '(your ceiling today: ' + c + ')';
    var labels = row.querySelectorAll('label.pain-btn');
    for (var i = 0; i < labels.length; i++) {
      var input = labels[i].querySelector('input');
      var over = parseInt(input.value, 10) > c;
      labels[i].classList.toggle('over', over);
      var sr = labels[i].querySelector('.sr-only');
      if (over && !sr) {
        sr = document.createElement('span');
        sr.className = 'sr-only';
        sr.textContent = ' (above your ceiling)';
        labels[i].appendChild(sr);
      } else if (!over && sr) sr.remove();
    }
  }

  // A session started without a connection: the start form gives way to the set forms, which carry the start
  // time and pain before, and the ceiling follows from that pain as the server would set it (PM-2).
  function applyOfflineStart() {
    var s = load(OFFLINE_START, null);
    var start = document.getElementById('start');
    if (!s) return;
    if (!start || Date.now() / 1000 - s.started > SESSION_OPEN_SECONDS) {
      // The server shows the session (its sets reached it), or it is too old to join: nothing to restore.
      if (!start || !waiting(load(QUEUE, [])).length) localStorage.removeItem(OFFLINE_START);
      return;
    }
    var ceilings = (start.getAttribute('data-ceilings') || '').split(',');
    var c = parseInt(ceilings[s.p0], 10);
    start.hidden = true;
    var waitingForms = document.querySelectorAll('.before-start');
    for (var i = 0; i < waitingForms.length; i++) {
      waitingForms[i].hidden = false;
      var form = waitingForms[i].querySelector('form');
      form.elements.namedItem('started').value = String(s.started);
      form.elements.namedItem('p0').value = String(s.p0);
      var row = form.querySelector('fieldset.pain-row');
      if (row && !isNaN(c)) markCeiling(row, c);
    }
    var note = document.getElementById('offline-started');
    if (!note) {
      note = document.createElement('p');
      note.id = 'offline-started';
      note.className = 'notice';
      start.parentNode.insertBefore(note, start);
    }
    var at = new Date(s.started * 1000);
    note.textContent = 'Session under way since ' + at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) +
      ', started on this phone without a connection.' + (isNaN(c) ? '' : ' Ceiling today: pain ' + c + '.');
  }

  function startOffline(form) {
    var p = form.querySelector('input[name="pain_before"]:checked');
    if (!p) { form.reportValidity(); return; }
    save(OFFLINE_START, { started: Math.floor(Date.now() / 1000), p0: parseInt(p.value, 10) });
    applyOfflineStart();
  }

  // Capture phase: before htmx sends the form.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.id === 'start' && !navigator.onLine) {
      e.preventDefault();
      e.stopPropagation();
      startOffline(form);
      return;
    }
    if (!form.classList.contains('set-form')) return;
    clientId(form);
    if (!navigator.onLine || waiting(load(QUEUE, [])).length) {
      e.preventDefault();
      e.stopPropagation();
      enqueue(form);
      flush();
    }
  }, true);

  // Sent, but no answer came (the connection dropped): kept, and sent again under the same id.
  document.addEventListener('htmx:sendError', function (e) {
    var elt = e.detail && e.detail.elt;
    var form = elt && elt.closest ? elt.closest('form') : null;
    if (form && form.classList.contains('set-form')) enqueue(form);
    if (form && form.id === 'start') startOffline(form);
  });

  window.addEventListener('online', flush);
  setInterval(flush, 20000);

  // Signing out leaves no pages behind in this browser's caches.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form instanceof HTMLFormElement && form.getAttribute('action') === '/logout' && window.caches) {
      caches.keys().then(function (keys) {
        keys.forEach(function (k) { if (k.indexOf('backstop-') === 0) caches.delete(k); });
      });
    }
  });

  // The worker keeps a fresh copy of the gym pages each time one is shown (sw.js).
  function keepThisPage() {
    var sw = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (sw && navigator.onLine && ['/today', '/week', '/learn'].indexOf(location.pathname) >= 0) {
      sw.postMessage({ keep: location.pathname });
    }
  }

  if ('serviceWorker' in navigator) {
    window.addEventListener('load', function () {
      navigator.serviceWorker.register('/sw.js').catch(function () { /* served over plain HTTP to a phone */ });
    });
    navigator.serviceWorker.addEventListener('controllerchange', keepThisPage);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
  document.addEventListener('htmx:afterSettle', init);

  // A request that failed (a record gone, a server error) is not swapped in by htmx: show the error page's
  // message in place of the page instead of leaving the screen as it was with no word.
  // Charts: one day, week or session of each is in the tab order (the latest); the arrow keys, Home and End move
  // along the others, and the value of the one with focus shows (by CSS). A tap focuses any of them.
  document.addEventListener('keydown', function (e) {
    var pt = e.target.closest && e.target.closest('.chart .pt');
    if (!pt) return;
    var all = Array.prototype.slice.call(pt.parentNode.querySelectorAll('.pt'));
    var i = all.indexOf(pt);
    var to = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: all.length - 1 }[e.key];
    if (to === undefined || !all[to]) return;
    e.preventDefault();
    pt.setAttribute('tabindex', '-1');
    all[to].setAttribute('tabindex', '0');
    all[to].focus();
  });

  document.addEventListener('htmx:responseError', function (e) {
    var xhr = e.detail && e.detail.xhr;
    var main = document.getElementById('main');
    if (!xhr || !main) return;
    var doc = new DOMParser().parseFromString(xhr.responseText || '', 'text/html');
    var incoming = doc.getElementById('main');
    if (incoming) {
      main.replaceChildren.apply(main, Array.prototype.slice.call(incoming.childNodes));
    } else {
      var p = document.createElement('p');
      p.className = 'warning';
      p.setAttribute('role', 'alert');
      p.textContent = 'That did not go through (error ' + xhr.status + '). Reload the page and try again.';
      main.prepend(p);
    }
    main.focus();
  });
})();
