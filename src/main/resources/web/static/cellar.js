// Cellar's dashboard: the few lines htmx and ECharts cannot do by themselves (JSON bodies for the API,
// the CSRF header, the login and restore steps that need two requests in a row, feeding ECharts).
(function () {
  'use strict';

  function flash(message) {
    var box = document.getElementById('flash');
    if (box) { box.textContent = message; box.hidden = !message; }
  }

  function explain(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      throw new Error((body.error || ('the server answered ' + response.status)) + (body.hint ? ' — ' + body.hint : ''));
    });
  }

  function csrfHeaders() {
    var token = document.body.dataset.csrf;
    var headers = { 'Content-Type': 'application/json' };
    if (token) { headers['X-CSRF-Token'] = token; }
    return headers;
  }

  function post(url, body) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: csrfHeaders(), body: JSON.stringify(body) })
      .then(function (r) { return r.ok ? r.json().catch(function () { return {}; }) : explain(r); });
  }

  function remember(session) {
    if (session && session.csrfToken) {
      document.body.dataset.csrf = session.csrfToken;
      document.body.setAttribute('hx-headers', JSON.stringify({ 'X-CSRF-Token': session.csrfToken }));
    }
    return session;
  }

  function fields(form) {
    var out = {};
    new FormData(form).forEach(function (value, key) { out[key] = value; });
    form.querySelectorAll('input[type=checkbox]').forEach(function (box) { out[box.name] = box.checked; });
    return out;
  }

  function afterOperation(answer) {
    if (answer && answer.operationId) { window.location.assign('/operations/' + encodeURIComponent(answer.operationId)); }
  }

  // htmx speaks form encoding; the API speaks JSON only
  htmx.defineExtension('cellar-json', {
    onEvent: function (name, evt) {
      if (name === 'htmx:configRequest') { evt.detail.headers['Content-Type'] = 'application/json'; }
    },
    encodeParameters: function (xhr, parameters) {
      var body = {};
      parameters.forEach(function (value, key) { body[key] = value === 'true' ? true : value === 'false' ? false : value; });
      return JSON.stringify(body);
    }
  });

  // server-sent progress arrives as JSON: shown as text, never as markup
  htmx.defineExtension('cellar-sse-text', {
    transformResponse: function (text) {
      var shown = text;
      try {
        var data = JSON.parse(text);
        var progress = data.progress || data;
        shown = [data.state, progress.phase, (progress.total ? progress.done + ' / ' + progress.total : ''), data.error]
          .filter(function (part) { return part; }).join(' · ') || text;
      } catch (notJson) { /* plain text as sent */ }
      var span = document.createElement('span');
      span.textContent = shown;
      return span.outerHTML;
    }
  });

  document.addEventListener('htmx:afterRequest', function (evt) {
    var xhr = evt.detail.xhr;
    if (!xhr || !evt.detail.elt.hasAttribute('data-api')) { return; }
    var body = {};
    try { body = JSON.parse(xhr.responseText || '{}'); } catch (notJson) { body = {}; }
    if (xhr.status >= 400) {
      flash((body.error || ('the server answered ' + xhr.status)) + (body.hint ? ' — ' + body.hint : ''));
    } else if (body.operationId) {
      afterOperation(body);
    } else if (evt.detail.elt.hasAttribute('data-reload')) {
      window.location.reload();
    }
  });

  // one listener for every such button: a board of 100 databases has 200 of them, and htmx wiring each
  // one at load cost more than the rest of the page
  document.addEventListener('click', function (evt) {
    var button = evt.target.closest('button[data-post]');
    if (!button) { return; }
    flash('');
    button.disabled = true;
    post(button.dataset.post, JSON.parse(button.dataset.body || '{}')).then(afterOperation)
      .catch(function (e) { flash(e.message); }).then(function () { button.disabled = false; });
  });

  function loginForm(form) {
    var next = new URLSearchParams(window.location.search).get('next') || '/';
    if (next.charAt(0) !== '/' || next.charAt(1) === '/') { next = '/'; }
    var second = document.getElementById('second-factor');
    var enrolment = document.getElementById('enrolment');
    var user = '';

    function askFor(fieldset, input) {
      fieldset.hidden = false;
      form.querySelector('[name=' + input + ']').required = true;
      form.querySelector('[name=' + input + ']').focus();
      return false;
    }

    // a role that changes state and has no second factor yet: enrol one now, in the same session
    function beginEnrolment() {
      return post('/api/users/' + encodeURIComponent(user) + '/second-factor', {}).then(function (answer) {
        var qr = document.getElementById('enrolment-qr');
        if (answer.qrCode) { qr.src = answer.qrCode; qr.hidden = false; }
        document.getElementById('enrolment-secret').textContent = answer.secret;
        document.getElementById('enrolment-recovery').textContent = (answer.recoveryCodes || []).join('\n');
        return askFor(enrolment, 'enrolmentCode');
      });
    }

    form.addEventListener('submit', function (evt) {
      evt.preventDefault();
      flash('');
      var values = fields(form);
      var step;
      if (!enrolment.hidden) {
        step = post('/api/users/' + encodeURIComponent(user) + '/second-factor/confirm', { code: values.enrolmentCode })
          .then(function () { return true; });
      } else if (!second.hidden) {
        step = post('/api/session/second-factor', { code: values.code }).then(remember).then(function () { return true; });
      } else {
        user = values.user;
        step = post('/api/session', { user: values.user, password: values.password }).then(remember).then(function (session) {
          if (session.secondFactorRequired) { return askFor(second, 'code'); }
          if (session.secondFactorEnrolmentRequired) { return beginEnrolment(); }
          return true;
        });
      }
      step.then(function (done) { if (done) { window.location.assign(next); } }).catch(function (e) { flash(e.message); });
    });
  }

  function restoreForm(form) {
    var over = form.querySelector('[name=overExisting]');
    var second = document.getElementById('restore-second-factor');
    function toggle() { second.hidden = !over.checked; form.querySelector('[name=code]').required = over.checked; }
    over.addEventListener('change', toggle);
    toggle();
    form.addEventListener('submit', function (evt) {
      evt.preventDefault();
      flash('');
      var values = fields(form);
      var proved = values.overExisting ? post('/api/session/second-factor', { code: values.code }).then(remember) : Promise.resolve();
      proved.then(function () {
        return post('/api/restores', { backup: values.backup, targetDatabase: values.targetDatabase, overExisting: values.overExisting });
      }).then(afterOperation).catch(function (e) { flash(e.message); });
    });
  }

  // adding a user is destructive: like the restore wizard, prove a fresh second factor first, then make the call
  function addUserForm(form) {
    form.addEventListener('submit', function (evt) {
      evt.preventDefault();
      flash('');
      var values = fields(form);
      post('/api/session/second-factor', { code: values.code }).then(remember).then(function () {
        return post('/api/users', { user: values.user, password: values.password, role: values.role });
      }).then(function () { window.location.reload(); }).catch(function (e) { flash(e.message); });
    });
  }

  // the stream sends progress only while an operation runs: the record itself says what the page shows
  // once it ended, and whether anything awaits a decision (the Approve/Reject buttons)
  function operationPage(view) {
    var progress = document.getElementById('operation-progress');
    var state = document.getElementById('operation-state');
    var decision = document.getElementById('operation-decision');
    var ended = ['succeeded', 'failed', 'rejected', 'expired', 'interrupted'];
    function show(op) {
      var p = op.progress || {};
      var measured = p.total > 0 ? p.done + ' / ' + p.total : '';
      var text = [p.phase, measured].filter(function (part) { return part; }).join(' · ');
      if (ended.indexOf(op.state) >= 0) {
        // the stream sends a state event only on a change it saw; the end is known for sure from the record.
        // Written only when it differs: the write is itself a mutation this page watches
        if (state.textContent !== op.state) { state.textContent = op.state; }
        progress.textContent = 'finished (' + op.state + ')' + (text ? ' · last: ' + text : '');
      } else if (op.state === 'awaiting-approval') {
        progress.textContent = 'not started: awaiting approval';
      } else if (text) {
        progress.textContent = text;
      }
      if (decision) { decision.hidden = op.state !== 'awaiting-approval'; }
    }
    function refresh() {
      fetch('/api/operations/' + encodeURIComponent(view.dataset.operation), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; }).then(function (op) { if (op) { show(op); } })
        .catch(function () { /* the stream keeps showing what it knows */ });
    }
    ['operation-state', 'operation-done'].forEach(function (id) {
      new MutationObserver(refresh).observe(document.getElementById(id), { childList: true, subtree: true });
    });
    return refresh;
  }

  function usersTable(body) {
    fetch('/api/users', { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.json() : explain(r); }).then(function (answer) {
      (answer.users || answer || []).forEach(function (user) {
        var row = body.insertRow();
        [user.user, user.role, user.locked ? 'locked' : 'active', user.secondFactorEnrolled ? 'enrolled' : 'not enrolled']
          .forEach(function (text) { row.insertCell().textContent = text; });
      });
    }).catch(function (e) { flash(e.message); });
  }

  function drawCharts() {
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var options = JSON.parse(document.getElementById(el.dataset.chart + '-options').textContent);
      var chart = echarts.init(el);
      chart.setOption(options);
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var login = document.querySelector('form[data-login]');
    if (login) { loginForm(login); document.body.dataset.ready = 'true'; return; }
    // data-ready: the page has its CSRF token and its charts (what a browser test waits for)
    var session = fetch('/api/session', { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.json() : null; })
      .then(remember).catch(function () { return null; });
    var restore = document.querySelector('form[data-restore]');
    if (restore) { restoreForm(restore); }
    var addUser = document.querySelector('form[data-add-user]');
    if (addUser) { addUserForm(addUser); }
    var operation = document.querySelector('[data-operation]');
    if (operation) { session.then(operationPage(operation)); }
    var users = document.getElementById('user-rows');
    if (users) { usersTable(users); }
    if (window.echarts) { drawCharts(); }
    session.then(function () { document.body.dataset.ready = 'true'; });
  });
}());
