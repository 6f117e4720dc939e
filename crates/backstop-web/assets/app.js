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

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
  document.addEventListener('htmx:afterSettle', init);

  // A request that failed (a record gone, a server error) is not swapped in by htmx: show the error page's
  // message in place of the page instead of leaving the screen as it was with no word.
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
