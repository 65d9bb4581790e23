// Careline staff console: one page, hash routes, data from /api/v1 (see docs/console.md).
// No framework and no build step. Every string from the server reaches the page as text (textContent or a text
// node), never as HTML; the Content-Security-Policy allows no inline script or style, so there is none here.
'use strict';

(() => {
  const API = '/api/v1';
  const POLL_MS = 5000;
  const CSRF_KEY = 'careline.csrf';

  // Pages in the navigation and the roles that may open them; admin may open every page.
  const PAGES = [
    { path: 'queues', label: 'Queues', roles: ['staff'] },
    { path: 'handoffs', label: 'Handoffs', roles: ['staff'] },
    { path: 'dead-letters', label: 'Dead letters', roles: ['analyst'] },
    { path: 'inbound', label: 'Inbound', roles: ['analyst'] },
    { path: 'alerts', label: 'Alerts', roles: ['staff', 'analyst'] },
    { path: 'dashboard', label: 'Dashboard', roles: ['staff'] },
    { path: 'audit', label: 'Audit', roles: ['auditor'] },
    { path: 'users', label: 'Users', roles: ['admin'] },
  ];
  // Reached from other pages, not from the navigation.
  const HIDDEN_PAGES = [{ path: 'patients', roles: ['staff'] }];
  const ROLES = ['staff', 'analyst', 'auditor', 'admin', 'portal'];

  const state = {
    me: null,
    csrf: sessionStorage.getItem(CSRF_KEY),
    seq: 0, // bumped on every page change: answers for a page no longer shown are dropped
    poll: null,
  };

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error) || (status === 0 ? 'The engine cannot be reached.' : 'Request failed (' + status + ')'));
      this.status = status;
      this.body = body || {};
    }
  }

  // ---- the API ---------------------------------------------------------------------------------------------

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (method !== 'GET' && state.csrf) {
      headers['X-CSRF-Token'] = state.csrf;
    }
    let res;
    try {
      res = await fetch(API + path, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, null);
    }
    const text = await res.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (res.status === 401 && path !== '/session') {
      // The session ended (expired, signed out elsewhere): back to sign-in.
      signedOut('Your session has ended. Please sign in again.');
    }
    if (!res.ok) {
      throw new ApiError(res.status, data);
    }
    return data;
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== '') {
        q.set(k, v);
      }
    }
    const s = q.toString();
    return s ? '?' + s : '';
  }

  // ---- building elements -----------------------------------------------------------------------------------

  // h('tag', {attributes}, children...): strings become text nodes; 'test' sets data-test; on* adds a listener.
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) {
        continue;
      }
      if (k === 'class') {
        el.className = v;
      } else if (k === 'test') {
        el.dataset.test = v;
      } else if (k === 'text') {
        el.textContent = v;
      } else if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v);
      } else if (v === true) {
        el.setAttribute(k, '');
      } else {
        el.setAttribute(k, String(v));
      }
    }
    append(el, kids);
    return el;
  }

  function append(el, kids) {
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) {
        continue;
      }
      el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) {
      el.firstChild.remove();
    }
    return el;
  }

  function link(hash, text, attrs) {
    return h('a', Object.assign({ href: hash }, attrs || {}), text);
  }

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  // ISO instant → "2030-03-05 14:05" in the browser's time zone ("" for none).
  function when(iso) {
    if (!iso) {
      return '';
    }
    const d = new Date(iso);
    if (isNaN(d.getTime())) {
      return String(iso);
    }
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':'
      + pad(d.getMinutes());
  }

  // "14:05" today, "2030-03-06 14:05" another day.
  function clock(iso) {
    const d = new Date(iso);
    if (isNaN(d.getTime())) {
      return String(iso);
    }
    const now = new Date();
    const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth()
      && d.getDate() === now.getDate();
    return sameDay ? pad(d.getHours()) + ':' + pad(d.getMinutes()) : when(iso);
  }

  // A table whose cells carry their column's name (on a phone each row becomes a card labelled by it).
  function table(test, columns, rows, rowFn) {
    const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c))));
    const body = h('tbody', {});
    for (const row of rows) {
      const cells = rowFn(row);
      const tr = h('tr', cells.attrs || {});
      // One element per cell, so that on a phone the label and the value are the card's two columns.
      cells.values.forEach((v, i) => tr.append(h('td', { 'data-label': columns[i] }, h('div', { class: 'cell' }, v))));
      body.append(tr);
    }
    const t = h('table', { class: 'grid', test }, head, body);
    return rows.length ? t : h('p', { class: 'muted', test: test + '-empty' }, 'Nothing to show.');
  }

  function badge(text, kind) {
    return h('span', { class: 'badge ' + (kind || '') }, text);
  }

  // A message for the person; {keep: true} keeps it across the navigation that follows (e.g. "signed out").
  function flash(text, isError, options) {
    const f = document.getElementById('flash');
    f.textContent = text;
    if (options && options.keep) {
      f.dataset.keep = 'true';
    } else {
      delete f.dataset.keep;
    }
    f.className = 'flash' + (isError ? ' error' : '');
    f.setAttribute('role', isError ? 'alert' : 'status');
    f.hidden = !text;
  }

  function failure(e) {
    if (e.status === 403) {
      return 'Not allowed: your role does not permit this.';
    }
    return e.message || 'Something went wrong.';
  }

  // A page that failed to load says why in place of its content.
  function problem(e) {
    if (e.status === 403) {
      return h('p', { class: 'notice error', role: 'alert', test: 'not-allowed' },
        'Not allowed: your role does not permit this page.');
    }
    return h('p', { class: 'notice error', role: 'alert', test: 'error' }, failure(e));
  }

  // Runs an action from a button: disabled while it runs, the answer's error shown. Afterwards the button is
  // enabled again, or restore() decides (the handoff page knows which buttons apply).
  async function act(button, fn, restore) {
    button.disabled = true;
    try {
      await fn();
    } catch (e) {
      if (e.status !== 401) {
        flash(failure(e), true);
      }
    } finally {
      if (restore) {
        restore();
      } else {
        button.disabled = false;
      }
    }
  }

  // Goes to a page; when it is the page already in the address, shows it again.
  function navigate(hash) {
    if (location.hash === hash) {
      render();
    } else {
      location.hash = hash;
    }
  }

  // ---- session and navigation ------------------------------------------------------------------------------

  function hasRole(role) {
    return !!state.me && Array.isArray(state.me.roles)
      && (state.me.roles.includes(role) || state.me.roles.includes('admin'));
  }

  function mayOpen(path) {
    const page = PAGES.concat(HIDDEN_PAGES).find((p) => p.path === path);
    return !!page && page.roles.some(hasRole);
  }

  function homePage() {
    const first = PAGES.find((p) => mayOpen(p.path));
    return first ? '#/' + first.path : '#/signin';
  }

  function signedIn(session) {
    state.me = session;
    if (session && session.csrfToken) {
      state.csrf = session.csrfToken;
      sessionStorage.setItem(CSRF_KEY, session.csrfToken);
    }
    showChrome();
  }

  function signedOut(message) {
    state.me = null;
    state.csrf = null;
    sessionStorage.removeItem(CSRF_KEY);
    stopPolling();
    showChrome();
    if (message) {
      flash(message, true, { keep: true });
    }
    navigate('#/signin');
  }

  function showChrome() {
    const nav = document.getElementById('nav');
    const list = clear(document.getElementById('nav-list'));
    const who = document.getElementById('who');
    if (!state.me) {
      nav.hidden = true;
      who.hidden = true;
      return;
    }
    for (const p of PAGES) {
      if (mayOpen(p.path)) {
        list.append(h('li', {}, link('#/' + p.path, p.label, { test: 'nav-' + p.path, id: 'nav-' + p.path })));
      }
    }
    nav.hidden = false;
    document.getElementById('whoami').textContent = state.me.username
      + (state.me.roles && state.me.roles.length ? ' (' + state.me.roles.join(', ') + ')' : '');
    who.hidden = false;
    markCurrent();
  }

  function markCurrent() {
    const current = parseRoute().page;
    for (const a of document.querySelectorAll('#nav-list a')) {
      if (a.getAttribute('href') === '#/' + current) {
        a.setAttribute('aria-current', 'page');
      } else {
        a.removeAttribute('aria-current');
      }
    }
  }

  function parseRoute() {
    const raw = location.hash.replace(/^#\/?/, '');
    const qAt = raw.indexOf('?');
    const path = qAt >= 0 ? raw.slice(0, qAt) : raw;
    const params = new URLSearchParams(qAt >= 0 ? raw.slice(qAt + 1) : '');
    const parts = path.split('/').filter(Boolean).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch (e) {
        return p;
      }
    });
    return { page: parts[0] || '', id: parts[1], params };
  }

  function stopPolling() {
    if (state.poll) {
      clearInterval(state.poll);
      state.poll = null;
    }
  }

  // Whether a page's answer differs from the one it showed last: an unchanged answer leaves the page as it is
  // (no flicker, focus and selection kept while the page polls).
  function changed(holder, data) {
    const text = JSON.stringify(data);
    if (holder.last === text) {
      return false;
    }
    holder.last = text;
    return true;
  }

  // Calls refresh every POLL_MS (or `every` ms) while this page is shown (not while the tab is hidden).
  function poll(seq, refresh, every) {
    stopPolling();
    state.poll = setInterval(() => {
      if (seq !== state.seq) {
        stopPolling();
      } else if (!document.hidden) {
        refresh().catch(() => {});
      }
    }, every || POLL_MS);
  }

  // A fresh page body; returns the section pages fill and the sequence number that keeps them current.
  function page(title, test) {
    const main = clear(document.getElementById('main'));
    const section = h('section', { class: 'page', test: 'page-' + test, 'aria-labelledby': 'page-title' },
      h('h1', { id: 'page-title' }, title));
    main.append(section);
    document.title = title + ' · Careline console';
    return section;
  }

  async function render() {
    stopPolling();
    dropCharts();
    const seq = ++state.seq;
    const route = parseRoute();
    markCurrent();
    if (!state.me || route.page === 'signin') {
      if (state.me && route.page === 'signin') {
        navigate(homePage());
        return;
      }
      renderSignIn();
      return;
    }
    if (!route.page) {
      navigate(homePage());
      return;
    }
    if (!mayOpen(route.page)) {
      const s = page('Not allowed', 'not-allowed');
      s.append(h('p', { class: 'notice error', role: 'alert', test: 'not-allowed' },
        PAGES.concat(HIDDEN_PAGES).some((p) => p.path === route.page)
          ? 'Not allowed: your role does not permit this page.' : 'There is no such page.'));
      return;
    }
    const renderers = {
      queues: renderQueues,
      handoffs: route.id ? renderHandoff : renderHandoffs,
      patients: renderPatient,
      'dead-letters': renderDeadLetters,
      inbound: renderInbound,
      alerts: renderAlerts,
      dashboard: renderDashboard,
      audit: renderAudit,
      users: renderUsers,
    };
    try {
      await renderers[route.page](route, seq);
    } catch (e) {
      if (seq === state.seq && e.status !== 401) {
        document.querySelector('#main .page').append(problem(e));
      }
    }
  }

  // ---- sign-in ---------------------------------------------------------------------------------------------

  function renderSignIn() {
    const s = page('Sign in', 'signin');
    const user = h('input', { id: 'username', name: 'username', test: 'username', autocomplete: 'username',
      required: true, autocapitalize: 'none', spellcheck: 'false' });
    const pass = h('input', { id: 'password', name: 'password', type: 'password', test: 'password',
      autocomplete: 'current-password', required: true });
    const error = h('p', { class: 'notice error', role: 'alert', test: 'signin-error', hidden: true });
    const button = h('button', { type: 'submit', test: 'signin', id: 'signin' }, 'Sign in');
    const form = h('form', { class: 'signin', id: 'signin-form', novalidate: true },
      h('label', { for: 'username' }, 'User name'), user,
      h('label', { for: 'password' }, 'Password'), pass,
      error, button);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      error.hidden = true;
      act(button, async () => {
        try {
          const session = await api('POST', '/session', { username: user.value, password: pass.value });
          pass.value = '';
          flash('');
          signedIn(session);
          // A link followed before signing in (e.g. to one handoff) is kept.
          const wanted = parseRoute().page;
          navigate(wanted && wanted !== 'signin' && mayOpen(wanted) ? location.hash : homePage());
        } catch (e) {
          pass.value = '';
          error.textContent = e.status === 401
            ? 'Sign-in failed: wrong user name or password, or the account is locked for a while.'
            : failure(e);
          error.hidden = false;
          pass.focus();
        }
      });
    });
    s.append(form);
    user.focus();
  }

  // ---- queues and handoffs ---------------------------------------------------------------------------------

  // Emergencies first, then what is overdue, then by due time.
  function byUrgency(a, b) {
    return (b.urgent ? 1 : 0) - (a.urgent ? 1 : 0)
      || (b.overdue ? 1 : 0) - (a.overdue ? 1 : 0)
      || String(a.dueAt || '').localeCompare(String(b.dueAt || ''))
      || String(a.id).localeCompare(String(b.id), undefined, { numeric: true });
  }

  function handoffTable(items) {
    return table('handoffs',
      ['Item', 'Queue', 'Site', 'Status', 'Reason', 'Due', 'Claimed by'],
      items.slice().sort(byUrgency),
      (x) => ({
        attrs: {
          class: 'handoff-row' + (x.urgent ? ' urgent' : '') + (x.overdue ? ' overdue' : ''),
          test: 'handoff-row', 'data-id': x.id, 'data-urgent': x.urgent ? 'true' : 'false',
        },
        values: [
          [link('#/handoffs/' + encodeURIComponent(x.id), '#' + x.id, { test: 'handoff-link' }),
            x.urgent ? [' ', badge('EMERGENCY', 'urgent')] : null],
          x.queue, x.site, x.status, x.reason,
          [when(x.dueAt), x.overdue ? [' ', badge('overdue', 'warn')] : null],
          x.claimedBy || '',
        ],
      }));
  }

  async function renderQueues(route, seq) {
    const s = page('Queues', 'queues');
    const attention = h('section', { 'aria-labelledby': 'attention-title', test: 'attention' },
      h('h2', { id: 'attention-title' }, 'Waiting for staff'));
    const queues = h('section', { 'aria-labelledby': 'queues-title', test: 'queues' },
      h('h2', { id: 'queues-title' }, 'Queues'));
    const updated = h('p', { class: 'muted small', test: 'updated', 'aria-live': 'off' });
    s.append(attention, queues, updated);
    const attentionBody = h('div', {});
    const queuesBody = h('div', {});
    attention.append(attentionBody);
    queues.append(queuesBody);
    const shown = {};

    async function refresh() {
      const [summary, open, claimed] = await Promise.all([
        api('GET', '/queues'),
        api('GET', '/handoffs' + query({ status: 'OPEN' })),
        api('GET', '/handoffs' + query({ status: 'CLAIMED' })),
      ]);
      updated.textContent = 'Updated ' + clock(new Date().toISOString()) + '; refreshes every few seconds.';
      if (seq !== state.seq || !changed(shown, [summary, open, claimed])) {
        return;
      }
      clear(attentionBody).append(handoffTable(open.concat(claimed)));
      const rows = summary.slice().sort((a, b) => (b.queue === 'emergency') - (a.queue === 'emergency')
        || (b.overdue || 0) - (a.overdue || 0)
        || String(a.site).localeCompare(String(b.site)) || String(a.queue).localeCompare(String(b.queue)));
      clear(queuesBody).append(table('queue-table', ['Queue', 'Site', 'Open', 'Claimed', 'Overdue', 'SLA'], rows,
        (q) => ({
          attrs: {
            class: (q.queue === 'emergency' && q.open > 0 ? 'urgent' : '') + (q.overdue > 0 ? ' overdue' : ''),
            test: 'queue-row', 'data-queue': q.queue, 'data-site': q.site,
          },
          values: [
            link('#/handoffs' + query({ queue: q.queue, site: q.site }), q.queue),
            q.site, q.open, q.claimed,
            q.overdue > 0 ? badge(String(q.overdue), 'warn') : '0',
            q.slaMinutes === null || q.slaMinutes === undefined ? '' : q.slaMinutes + ' min',
          ],
        })));
    }

    await refresh();
    poll(seq, refresh);
  }

  async function renderHandoffs(route, seq) {
    const s = page('Handoffs', 'handoffs');
    const p = route.params;
    const queueIn = h('input', { id: 'filter-queue', test: 'filter-queue', value: p.get('queue') || '' });
    const siteIn = h('input', { id: 'filter-site', test: 'filter-site', value: p.get('site') || '' });
    const statusIn = h('select', { id: 'filter-status', test: 'filter-status' },
      ['', 'OPEN', 'CLAIMED', 'RESOLVED'].map((v) => h('option', { value: v, selected: v === (p.get('status') || '') },
        v || 'Any')));
    const form = h('form', { class: 'filters', test: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'filter-queue' }, 'Queue'), queueIn),
      h('div', { class: 'field' }, h('label', { for: 'filter-status' }, 'Status'), statusIn),
      h('div', { class: 'field' }, h('label', { for: 'filter-site' }, 'Site'), siteIn),
      h('button', { type: 'submit', test: 'filter-apply' }, 'Show'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = '#/handoffs' + query({ queue: queueIn.value.trim(), status: statusIn.value,
        site: siteIn.value.trim() });
    });
    const list = h('div', { test: 'handoff-list' });
    s.append(form, list);
    const shown = {};

    async function refresh() {
      const items = await api('GET', '/handoffs' + query({ queue: p.get('queue'), status: p.get('status'),
        site: p.get('site') }));
      if (seq === state.seq && changed(shown, items)) {
        clear(list).append(handoffTable(items));
      }
    }

    await refresh();
    poll(seq, refresh);
  }

  // The handoff page: built once, then filled with every answer (claim, reply, the poll) so that what staff
  // are typing is never thrown away.
  async function renderHandoff(route, seq) {
    const id = route.id;
    const path = '/handoffs/' + encodeURIComponent(id);
    const s = page('Handoff #' + id, 'handoff');
    s.dataset.id = id;

    const badges = h('p', { class: 'badges', test: 'badges' });
    const patientName = h('span', { test: 'patient-name' });
    const patientLink = h('a', { test: 'patient-link' }, 'Timeline');
    const patientPhone = h('span', { test: 'patient-phone' });
    const appointment = h('div', { test: 'appointment' });
    const windowState = h('p', { class: 'window', test: 'window', role: 'status' });
    const messages = h('ol', { class: 'messages', test: 'messages' });
    const events = h('ol', { class: 'events', test: 'events' });

    const claim = h('button', { type: 'button', test: 'claim', id: 'claim' }, 'Claim');
    const resolve = h('button', { type: 'button', test: 'resolve', id: 'resolve' }, 'Resolve');
    const replyText = h('textarea', { id: 'reply-text', test: 'reply-text', rows: 4, maxlength: 4096 });
    const reply = h('button', { type: 'button', test: 'reply', id: 'reply', class: 'primary' }, 'Send reply');
    const followUpNote = h('p', { class: 'notice warn', test: 'followup-offer', role: 'status', hidden: true });
    const followUp = h('button', { type: 'button', test: 'follow-up', id: 'follow-up', hidden: true },
      'Send follow-up template');
    const noteText = h('textarea', { id: 'note-text', test: 'note-text', rows: 3, maxlength: 4000 });
    const note = h('button', { type: 'button', test: 'note', id: 'note' }, 'Add note');
    const why = h('p', { class: 'muted small', test: 'why-disabled' });

    s.append(
      badges,
      h('div', { class: 'columns' },
        h('div', { class: 'column' },
          h('section', { class: 'card', 'aria-labelledby': 'patient-title' },
            h('h2', { id: 'patient-title' }, 'Patient'),
            h('dl', { class: 'facts' },
              h('dt', {}, 'Name'), h('dd', {}, patientName, ' ', patientLink),
              h('dt', {}, 'Phone'), h('dd', {}, patientPhone))),
          h('section', { class: 'card', 'aria-labelledby': 'appointment-title' },
            h('h2', { id: 'appointment-title' }, 'Appointment'), appointment),
          h('section', { class: 'card', 'aria-labelledby': 'messages-title' },
            h('h2', { id: 'messages-title' }, 'The patient wrote'), messages)),
        h('div', { class: 'column' },
          h('section', { class: 'card', 'aria-labelledby': 'work-title' },
            h('h2', { id: 'work-title' }, 'Work this item'),
            windowState,
            h('div', { class: 'buttons' }, claim, resolve),
            why,
            h('label', { for: 'reply-text' }, 'Reply to the patient (sent on WhatsApp)'), replyText,
            h('div', { class: 'buttons' }, reply),
            followUpNote,
            h('div', { class: 'buttons' }, followUp),
            h('label', { for: 'note-text' }, 'Internal note (never sent)'), noteText,
            h('div', { class: 'buttons' }, note)),
          h('section', { class: 'card', 'aria-labelledby': 'events-title' },
            h('h2', { id: 'events-title' }, 'What happened'), events))));

    let current = null;
    let windowClosedSeen = false; // a 409 from reply: the window closed after the page was loaded

    function fill(d) {
      current = d;
      const me = state.me.username;
      const resolved = d.status === 'RESOLVED';
      const mine = d.status === 'CLAIMED' && d.claimedBy === me;
      const windowOpen = !!(d.window && d.window.open) && !windowClosedSeen;
      s.dataset.status = d.status;
      s.classList.toggle('urgent', !!d.urgent);

      // Through append(): the DOM's own append would print a null as the text "null".
      append(clear(badges), [
        d.urgent ? badge('EMERGENCY', 'urgent') : null,
        badge(d.status, 'status-' + String(d.status).toLowerCase()),
        badge('queue ' + d.queue), badge('site ' + d.site),
        d.reason ? badge(d.reason) : null,
        d.dueAt ? badge('due ' + when(d.dueAt), d.overdue ? 'warn' : '') : null,
        d.claimedBy ? h('span', { class: 'badge', test: 'claimed-by' }, 'claimed by ' + d.claimedBy) : null]);
      badges.dataset.status = d.status;

      const pt = d.patient || {};
      patientName.textContent = pt.name || '(no name)';
      patientPhone.textContent = pt.phone || '';
      patientLink.hidden = pt.id === undefined || pt.id === null;
      if (!patientLink.hidden) {
        patientLink.setAttribute('href', '#/patients/' + encodeURIComponent(pt.id));
      }

      clear(appointment);
      const a = d.appointment;
      if (a) {
        appointment.append(h('dl', { class: 'facts' },
          h('dt', {}, 'When'), h('dd', {}, when(a.startAt)),
          h('dt', {}, 'Service'), h('dd', {}, a.service || ''),
          h('dt', {}, 'Provider'), h('dd', {}, a.provider || ''),
          h('dt', {}, 'Location'), h('dd', {}, a.location || ''),
          h('dt', {}, 'Status'), h('dd', {}, a.status || '')));
      } else {
        appointment.append(h('p', { class: 'muted' }, 'No appointment tied to this message.'));
      }

      clear(messages);
      for (const m of d.messages || []) {
        messages.append(h('li', { test: 'message' },
          h('time', { datetime: m.receivedAt }, when(m.receivedAt)), ' ', h('q', {}, m.text)));
      }
      if (!messages.firstChild) {
        messages.append(h('li', { class: 'muted' }, 'No messages.'));
      }

      if (windowOpen) {
        windowState.textContent = 'Window open until ' + clock(d.window.closesAt);
        windowState.className = 'window open';
      } else {
        windowState.textContent = 'Window closed: only the follow-up template can be sent';
        windowState.className = 'window closed';
      }
      windowState.dataset.open = windowOpen ? 'true' : 'false';

      const template = d.followUpTemplate;
      followUpNote.hidden = windowOpen;
      followUpNote.textContent = template
        ? 'Outside the 24-hour window WhatsApp allows no free text. Send the follow-up template "' + template
          + '" instead; it asks the patient to write back, which opens the window again.'
        : 'Outside the 24-hour window WhatsApp allows no free text, and this site has no follow-up template.';
      followUp.hidden = windowOpen;
      followUp.textContent = template ? 'Send follow-up template "' + template + '"' : 'Send follow-up template';

      claim.disabled = d.status !== 'OPEN';
      claim.textContent = mine ? 'Claimed by you' : 'Claim';
      resolve.disabled = !mine;
      reply.disabled = !mine || !windowOpen;
      replyText.disabled = !mine || !windowOpen;
      followUp.disabled = !mine || windowOpen || !template;
      note.disabled = resolved;
      noteText.disabled = resolved;
      why.textContent = resolved ? 'This item is resolved.'
        : d.status === 'OPEN' ? 'Claim the item to answer or resolve it.'
          : !mine ? 'Claimed by ' + (d.claimedBy || 'someone else') + ': only they can answer or resolve it.'
            : '';

      clear(events);
      for (const e of d.events || []) {
        events.append(h('li', { test: 'event', 'data-kind': e.kind },
          h('time', { datetime: e.at }, when(e.at)), ' ',
          h('strong', {}, e.kind), ' ', e.actor ? 'by ' + e.actor : 'by the engine',
          e.body ? h('div', { class: 'event-body' }, e.body) : null));
      }
      if (!events.firstChild) {
        events.append(h('li', { class: 'muted' }, 'Nothing yet.'));
      }
    }

    const shown = {};
    async function reload() {
      const d = await api('GET', path);
      if (seq === state.seq && changed(shown, d)) {
        fill(d);
      }
    }

    const refill = () => {
      if (current) {
        fill(current);
      }
    };

    claim.addEventListener('click', () => act(claim, async () => {
      try {
        const d = await api('POST', path + '/claim');
        flash('You have claimed item #' + id + '.');
        if (d && d.id !== undefined) {
          fill(d);
        } else {
          await reload();
        }
      } catch (e) {
        if (e.status === 409) {
          flash('Someone else claimed this item first.', true);
          await reload();
          return;
        }
        throw e;
      }
    }, refill));

    reply.addEventListener('click', () => act(reply, async () => {
      const text = replyText.value.trim();
      if (!text) {
        flash('Write the reply first.', true);
        replyText.focus();
        return;
      }
      try {
        const r = await api('POST', path + '/reply', { text });
        replyText.value = '';
        flash('Reply queued for sending' + (r && r.outboxId !== undefined ? ' (message ' + r.outboxId + ')' : '')
          + '.');
      } catch (e) {
        if (e.status === 409) {
          // Outside the window: the text is kept, the follow-up template is offered.
          windowClosedSeen = true;
          if (e.body && e.body.followUpTemplate !== undefined) {
            current.followUpTemplate = e.body.followUpTemplate;
          }
          flash(e.body.error || 'The 24-hour window has closed.', true);
        } else {
          throw e;
        }
      }
      await reload();
    }, refill));

    followUp.addEventListener('click', () => act(followUp, async () => {
      await api('POST', path + '/follow-up');
      flash('Follow-up template queued for sending.');
      await reload();
    }, refill));

    note.addEventListener('click', () => act(note, async () => {
      const text = noteText.value.trim();
      if (!text) {
        flash('Write the note first.', true);
        noteText.focus();
        return;
      }
      await api('POST', path + '/note', { text });
      noteText.value = '';
      flash('Note added.');
      await reload();
    }, refill));

    resolve.addEventListener('click', () => act(resolve, async () => {
      await api('POST', path + '/resolve');
      flash('Item #' + id + ' resolved.');
      await reload();
    }, refill));

    await reload();
    poll(seq, reload);
  }

  // ---- a patient's timeline --------------------------------------------------------------------------------

  async function renderPatient(route, seq) {
    const s = page('Patient', 'patient');
    const t = await api('GET', '/patients/' + encodeURIComponent(route.id) + '/timeline');
    if (seq !== state.seq) {
      return;
    }
    const p = t.patient || {};
    s.querySelector('h1').textContent = p.name || 'Patient';
    s.append(h('dl', { class: 'facts card', test: 'patient' },
      h('dt', {}, 'Name'), h('dd', { test: 'patient-name' }, p.name || ''),
      h('dt', {}, 'Phone'), h('dd', { test: 'patient-phone' }, p.phone || ''),
      h('dt', {}, 'Language'), h('dd', {}, p.language || ''),
      h('dt', {}, 'Messages'), h('dd', { test: 'opted-out' }, p.optedOut ? 'opted out (STOP)' : 'receives messages')));
    if (state.me && Array.isArray(state.me.roles) && state.me.roles.includes('admin')) {
      // Erasure on request (docs/privacy.md): admins only, after a confirmation; refused (409) under legal hold.
      const erase = h('button', { type: 'button', test: 'erase-patient', class: 'danger' }, 'Erase patient');
      erase.addEventListener('click', () => {
        if (window.confirm('Erase this patient? Names, numbers, messages, notes and documents are removed for good.')) {
          act(erase, async () => {
            const r = await api('POST', '/patients/' + encodeURIComponent(route.id) + '/erasure');
            flash('Patient erased (erasure #' + (r && r.erasureId) + ').');
            render();
          });
        }
      });
      s.append(h('p', { class: 'buttons' }, erase));
    }
    await renderConsent(s, route, seq);
    s.append(h('h2', {}, 'Timeline'),
      table('timeline', ['When', 'What', 'Text', 'Status', 'Reference'], t.items || [], (i) => ({
        attrs: { test: 'timeline-item', 'data-type': i.type },
        values: [when(i.at), i.type, i.text || '', i.status || '', i.ref || ''],
      })));
  }

  /**
   * The patient's consent to be messaged (docs/consent.md): the state, every change with its source, and for staff
   * and admins a form to record what the patient said on paper or at the desk.
   */
  async function renderConsent(s, route, seq) {
    const path = '/patients/' + encodeURIComponent(route.id) + '/consent';
    const box = h('div', { test: 'consent' });
    s.append(h('h2', {}, 'Consent to be messaged'), box);
    const words = { granted: 'granted', refused: 'refused', withdrawn: 'withdrawn', none: 'nothing recorded' };

    async function show() {
      const c = await api('GET', path);
      if (seq !== state.seq) {
        return;
      }
      const said = words[c.consent] || c.consent;
      clear(box).append(
        h('p', { test: 'consent-state', 'data-consent': c.consent },
          'Consent: ' + said + (c.doNotMessage ? ' · never message (protection indicator from the EHR)' : '')
          + (c.requested && c.consent === 'none' ? ' · asked, no answer yet' : '')),
        table('consent-history', ['When', 'Value', 'Source', 'Note'], c.history || [], (e) => ({
          attrs: { test: 'consent-change', 'data-value': e.value },
          values: [when(e.at), e.value, e.source, e.note || ''],
        })));
    }

    try {
      await show();
    } catch (e) {
      if (e.status === 401) {
        throw e;
      }
      // The timeline below still shows: consent failing to load says so in its own place.
      clear(box).append(problem(e));
      return;
    }
    if (!hasRole('staff')) {
      return;
    }
    const value = h('select', { id: 'consent-value', test: 'consent-value' },
      ['granted', 'refused', 'withdrawn'].map((v) => h('option', { value: v }, v)));
    const note = h('input', { id: 'consent-note', test: 'consent-note', maxlength: '500',
      placeholder: 'e.g. paper form reference' });
    const record = h('button', { type: 'submit', test: 'record-consent' }, 'Record consent');
    const form = h('form', { class: 'filters', test: 'consent-form' },
      h('div', { class: 'field' }, h('label', { for: 'consent-value' }, 'Patient says'), value),
      h('div', { class: 'field' }, h('label', { for: 'consent-note' }, 'Note'), note),
      record);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      act(record, async () => {
        const r = await api('POST', path, { value: value.value, note: note.value.trim() || null });
        flash(r && r.changed ? 'Consent recorded: ' + r.value + '.' : 'Consent already ' + (r && r.value) + '.');
        // The whole page again: a refusal cancels messages, and the timeline below shows them cancelled.
        render();
      });
    });
    s.append(form);
  }

  // ---- analyst pages ---------------------------------------------------------------------------------------

  async function renderDeadLetters(route, seq) {
    const s = page('Dead letters', 'dead-letters');
    s.append(h('p', { class: 'muted' }, 'Work that was given up after its retries. Retry it once the cause is '
      + 'fixed, or discard it.'));
    const list = h('div', {});
    s.append(list);

    async function refresh() {
      const items = await api('GET', '/dead-letters');
      if (seq !== state.seq) {
        return;
      }
      clear(list).append(table('dead-letters', ['Item', 'Queue', 'Site', 'Kind', 'Reason', 'Attempts', 'When', ''],
        items, (d) => {
          const retry = h('button', { type: 'button', test: 'retry', 'data-id': d.id }, 'Retry');
          const discard = h('button', { type: 'button', test: 'discard', 'data-id': d.id, class: 'danger' },
            'Discard');
          const run = (button, action, done) => act(button, async () => {
            const r = await api('POST', '/dead-letters/' + encodeURIComponent(d.id) + '/' + action);
            flash(done + ' ' + d.id + (r && r.result ? ': ' + r.result : '') + '.');
            await refresh();
          });
          retry.addEventListener('click', () => run(retry, 'retry', 'Retried'));
          discard.addEventListener('click', () => {
            if (window.confirm('Discard ' + d.id + '? It will not be sent or retried.')) {
              run(discard, 'discard', 'Discarded');
            }
          });
          return {
            attrs: { test: 'dead-letter-row', 'data-id': d.id },
            values: [d.id, d.queue, d.site || '', d.kind || '', d.reason || '', d.attempts, when(d.at),
              h('span', { class: 'buttons' }, retry, discard)],
          };
        }));
    }

    await refresh();
  }

  async function renderInbound(route, seq) {
    const s = page('Inbound messages', 'inbound');
    const control = h('input', { id: 'control-id', test: 'control-id', value: route.params.get('control_id') || '' });
    const form = h('form', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'control-id' }, 'Control id (MSH-10)'), control),
      h('button', { type: 'submit', test: 'inbound-search' }, 'Search'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = '#/inbound' + query({ control_id: control.value.trim() });
    });
    const list = h('div', {});
    s.append(form, list);

    async function refresh() {
      const items = await api('GET', '/inbound' + query({ control_id: route.params.get('control_id') }));
      if (seq !== state.seq) {
        return;
      }
      clear(list).append(table('inbound', ['Received', 'Sender', 'Control id', 'Type', 'ACK', 'Error', ''], items,
        (m) => {
          const replay = m.replayable
            ? h('button', { type: 'button', test: 'replay', 'data-id': m.id }, 'Replay') : null;
          if (replay) {
            replay.addEventListener('click', () => act(replay, async () => {
              try {
                const r = await api('POST', '/inbound/' + encodeURIComponent(m.id) + '/replay');
                flash('Replayed ' + m.controlId + ': ' + r.ackCode + (r.ackText ? ' ' + r.ackText : '') + '.');
              } catch (e) {
                if (e.status !== 409) {
                  throw e;
                }
                flash('Not replayed: ' + e.message, true);
              }
              await refresh();
            }));
          }
          return {
            attrs: { test: 'inbound-row', 'data-id': m.id, class: m.ackCode && m.ackCode !== 'AA' ? 'warn' : '' },
            values: [when(m.receivedAt), m.sender || '', m.controlId || '', m.messageType || '',
              [m.ackCode || '', m.ackText ? ' ' + m.ackText : ''], m.errorCode || '', replay],
          };
        }));
      // FHIR notifications: what each asked Careline to read, and how far that got (never the resource itself).
      const fhir = await api('GET', '/inbound/fhir');
      if (seq !== state.seq) {
        return;
      }
      list.append(h('h2', {}, 'FHIR notifications'), table('inbound-fhir',
        ['Received', 'Resource', 'Subscription', 'Status', 'Attempts', 'Last error'], fhir, (w) => ({
          attrs: { test: 'inbound-fhir-row', 'data-id': w.id },
          values: [when(w.receivedAt), w.focus || 'catch-up', w.subscription || '', w.status || '',
            String(w.attempts), w.lastError || ''],
        })));
    }

    await refresh();
  }

  function deliveries(list) {
    if (!Array.isArray(list) || !list.length) {
      return '';
    }
    return list.map((d) => (d && typeof d === 'object')
      ? [d.channel, d.status].filter(Boolean).join(' ') : String(d)).join('; ');
  }

  async function renderAlerts(route, seq) {
    const s = page('Alerts', 'alerts');
    const list = h('div', {});
    s.append(list);
    const shown = {};

    async function refresh() {
      const items = await api('GET', '/alerts');
      if (seq !== state.seq || !changed(shown, items)) {
        return;
      }
      clear(list).append(table('alerts', ['Raised', 'Severity', 'Kind', 'Site', 'Subject', 'Detail', 'Sent to',
        'Acknowledged'], items, (a) => {
        let acked;
        if (a.ackedBy) {
          acked = a.ackedBy + ' ' + when(a.ackedAt);
        } else {
          acked = h('button', { type: 'button', test: 'ack', 'data-id': a.id }, 'Acknowledge');
          acked.addEventListener('click', () => act(acked, async () => {
            try {
              await api('POST', '/alerts/' + encodeURIComponent(a.id) + '/ack');
              flash('Alert ' + a.id + ' acknowledged.');
            } catch (e) {
              if (e.status !== 409) {
                throw e;
              }
              flash('Already acknowledged.', true);
            }
            await refresh();
          }));
        }
        return {
          attrs: { test: 'alert-row', 'data-id': a.id, class: 'severity-' + String(a.severity || '').toLowerCase()
            + (a.clearedAt ? ' cleared' : '') },
          values: [when(a.raisedAt), a.severity || '', a.kind || '', a.site || '', a.subject || '', a.detail || '',
            deliveries(a.deliveries), acked],
        };
      }));
    }

    await refresh();
    poll(seq, refresh);
  }

  // ---- dashboard -------------------------------------------------------------------------------------------

  // Figures per site and service over a range of days, from /api/v1/stats/* (docs/figures.md). The numbers are a
  // table (what a screen reader and a test read); the charts draw the same answers with Chart.js, served by the
  // engine from its jar (console/chart.js) and loaded only when this page is opened.
  const DASHBOARD_POLL_MS = 60000;
  const PERIODS = [['today', 'Today'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days'], ['range', 'Chosen range']];
  const INTENTS = [['confirm', 'Confirmed'], ['change', 'Change'], ['cancel', 'Cancel'], ['location', 'Location'],
    ['help', 'Help'], ['stop', 'Stop'], ['other', 'Other (to staff)']];
  const charts = {};
  let chartLoad = null;

  function loadCharts() {
    if (!chartLoad) {
      chartLoad = new Promise((resolve, reject) => {
        if (window.Chart) {
          resolve(window.Chart);
          return;
        }
        const s = document.createElement('script');
        s.src = 'chart.js';
        s.onload = () => resolve(window.Chart);
        s.onerror = () => {
          chartLoad = null;
          reject(new Error('The charts could not be loaded; the table below has every figure.'));
        };
        document.head.append(s);
      });
    }
    return chartLoad;
  }

  function percent(part, whole) {
    return whole ? (100 * part / whole).toFixed(1) + ' %' : '–';
  }

  function rate(r) {
    return typeof r === 'number' ? (100 * r).toFixed(1) + ' %' : '–';
  }

  function noShowRate(g) {
    return g && g.appointments ? g.noShows / g.appointments : 0;
  }

  function seconds(s) {
    if (s === null || s === undefined) {
      return '–';
    }
    const m = Math.round(s / 60);
    return m < 60 ? m + ' min' : Math.floor(m / 60) + ' h ' + pad(m % 60) + ' min';
  }

  // One chart per canvas: drawn again in place when the answer changes (Chart.js keeps one instance per canvas).
  function draw(Chart, key, canvas, config) {
    if (charts[key]) {
      charts[key].destroy();
    }
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { position: 'bottom' } } }, config.options || {});
    charts[key] = new Chart(canvas, config);
  }

  function dropCharts() {
    for (const key of Object.keys(charts)) {
      charts[key].destroy();
      delete charts[key];
    }
  }

  function figureRows(f, queues) {
    const m = f.messages.total;
    const rows = [
      ['volumes', 'Appointments booked', f.appointmentsBooked],
      ['volumes', 'Messages sent', m.sent],
      ['volumes', 'Delivered', m.delivered + ' (' + percent(m.delivered, m.sent) + ')'],
      ['volumes', 'Read', m.read + ' (' + percent(m.read, m.sent) + ')'],
      ['volumes', 'Failed', m.failed],
    ];
    for (const k of f.messages.byKind) {
      rows.push(['kind', k.kind.toLowerCase().replace(/_/g, ' ') + ': sent / delivered / read / failed',
        [k.counts.sent, k.counts.delivered, k.counts.read, k.counts.failed].join(' / ')]);
    }
    for (const [key, label] of INTENTS) {
      rows.push(['replies', 'Replies: ' + label, f.replies[key]]);
    }
    rows.push(['replies', 'Opt-outs', f.optOuts]);
    rows.push(['staff', 'Emergencies', f.emergencies]);
    for (const q of queues) {
      rows.push(['staff', 'Queue ' + q.queue + ': items / answered / SLA kept',
        q.items + ' / ' + q.answered + ' / ' + q.slaKept + ' (' + percent(q.slaKept, q.items) + ')']);
      rows.push(['staff', 'Queue ' + q.queue + ': first answer, median / 90th percentile',
        seconds(q.medianFirstAnswerSeconds) + ' / ' + seconds(q.p90FirstAnswerSeconds)]);
    }
    const n = f.noShows;
    const reached = { appointments: n.confirmed.appointments + n.reachedNotConfirmed.appointments,
      noShows: n.confirmed.noShows + n.reachedNotConfirmed.noShows };
    for (const [label, g] of [['confirmed', n.confirmed], ['reached, not confirmed', n.reachedNotConfirmed],
      ['reached (all)', reached], ['not reached', n.notReached]]) {
      rows.push(['no-shows', 'No-shows, ' + label, g.noShows + ' of ' + g.appointments + ' (' + rate(noShowRate(g))
        + ')']);
    }
    rows.push(['no-shows', 'No-show rate, not reached minus reached',
      (100 * (noShowRate(n.notReached) - noShowRate(reached))).toFixed(1) + ' points']);
    rows.push(['results', 'Results and document notices sent', f.results.noticesSent]);
    rows.push(['results', 'Portal links opened', f.results.linksOpened]);
    for (const c of f.failures) {
      rows.push(['failures', 'Failed: ' + (c.code === null ? 'no code' : c.code) + (c.reason ? ' ' + c.reason : ''),
        c.count]);
    }
    return rows;
  }

  async function renderDashboard(route, seq) {
    const s = page('Dashboard', 'dashboard');
    const p = route.params;
    const period = p.get('period') || (p.get('from') ? 'range' : '7d');
    const sites = (await api('GET', '/stats/sites')).sites || [];
    if (seq !== state.seq) {
      return;
    }
    const site = h('select', { id: 'dash-site', test: 'dash-site' },
      (state.me.sites ? [] : [h('option', { value: '' }, 'All sites')]).concat(
        sites.map((x) => h('option', { value: x.code }, x.name ? x.name + ' (' + x.code + ')' : x.code))));
    site.value = p.get('site') || (state.me.sites ? (sites[0] || {}).code || '' : '');
    const service = h('select', { id: 'dash-service', test: 'dash-service' });
    function fillServices() {
      const chosen = sites.find((x) => x.code === site.value);
      const codes = chosen ? chosen.services || [] : [...new Set(sites.flatMap((x) => x.services || []))].sort();
      clear(service).append(h('option', { value: '' }, 'All services'),
        codes.map((c) => h('option', { value: c }, c)));
    }
    fillServices();
    service.value = p.get('service') || '';
    site.addEventListener('change', fillServices);
    const range = h('select', { id: 'dash-period', test: 'dash-period' },
      PERIODS.map(([v, label]) => h('option', { value: v }, label)));
    range.value = period;
    const from = h('input', { id: 'dash-from', type: 'date', test: 'dash-from', value: p.get('from') || '' });
    const to = h('input', { id: 'dash-to', type: 'date', test: 'dash-to', value: p.get('to') || '' });
    const dates = h('div', { class: 'field', hidden: period !== 'range' },
      h('label', { for: 'dash-from' }, 'From'), from, h('label', { for: 'dash-to' }, 'To'), to);
    range.addEventListener('change', () => {
      dates.hidden = range.value !== 'range';
    });
    const form = h('form', { class: 'filters', test: 'dash-filters' },
      h('div', { class: 'field' }, h('label', { for: 'dash-site' }, 'Site'), site),
      h('div', { class: 'field' }, h('label', { for: 'dash-service' }, 'Service'), service),
      h('div', { class: 'field' }, h('label', { for: 'dash-period' }, 'Period'), range),
      dates,
      h('button', { type: 'submit', test: 'dash-apply' }, 'Show'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const custom = range.value === 'range';
      location.hash = '#/dashboard' + query({ site: site.value, service: service.value,
        period: custom ? '' : range.value, from: custom ? from.value : '', to: custom ? to.value : '' });
    });
    const heading = h('p', { class: 'muted', test: 'dash-range' });
    const chartNote = h('p', { class: 'notice warn', test: 'dash-charts-missing', hidden: true });
    const canvases = {};
    const chartBox = (key, title, below) => {
      canvases[key] = h('canvas', { test: 'chart-' + key, 'aria-label': title, role: 'img' });
      return h('figure', { class: 'chart card' }, h('figcaption', {}, title), h('div', { class: 'chart-box' },
        canvases[key]), below);
    };
    const noShowLine = h('p', { class: 'noshow-difference', test: 'dash-noshow-difference' });
    const chartsGrid = h('div', { class: 'charts' },
      chartBox('messages', 'Messages per day: sent, delivered, read, failed'),
      chartBox('noshows', 'No-show rate (%) by whether the patient was reached', noShowLine),
      chartBox('replies', 'Patients\u2019 replies by intent'),
      chartBox('queues', 'Time to first answer per queue (minutes)'),
      chartBox('failures', 'Failed sends by Cloud API error'));
    const numbers = h('div', {});
    const reports = h('div', {});
    s.append(form, heading, chartNote, chartsGrid, h('h2', {}, 'Figures'), numbers, reports);
    const params = query({ site: p.get('site') || site.value, service: p.get('service'),
      period: period === 'range' ? '' : period, from: period === 'range' ? p.get('from') : '',
      to: period === 'range' ? p.get('to') : '' });
    const shown = {};

    async function refresh() {
      const [summary, messages, replies, queues, noShows, failures] = await Promise.all(
        ['summary', 'messages', 'replies', 'queues', 'no-shows', 'failures'].map((x) => api('GET', '/stats/' + x
          + params)));
      if (seq !== state.seq || !changed(shown, [summary, messages, replies, queues, noShows, failures])) {
        return;
      }
      heading.textContent = (summary.site || 'All sites') + (summary.service ? ', ' + summary.service : '')
        + ': ' + summary.from + ' to ' + summary.to;
      clear(numbers).append(table('dashboard-figures', ['Section', 'Figure', 'Value'],
        figureRows(summary, queues.queues || []), (r) => ({
          attrs: { test: 'figure-row', 'data-section': r[0] },
          values: [r[0], r[1], String(r[2])],
        })));
      noShowLine.textContent = 'Not reached minus reached: '
        + (100 * (noShows.difference || 0)).toFixed(1) + ' percentage points.';
      let Chart;
      try {
        Chart = await loadCharts();
      } catch (e) {
        chartNote.textContent = e.message;
        chartNote.hidden = false;
        return;
      }
      if (seq !== state.seq) {
        return;
      }
      const days = messages.daily.map((d) => d.day);
      draw(Chart, 'messages', canvases.messages, { type: 'line', data: { labels: days, datasets: [
        { label: 'Sent', data: messages.daily.map((d) => d.sent), borderColor: '#1f5fa8' },
        { label: 'Delivered', data: messages.daily.map((d) => d.delivered), borderColor: '#2e7d32' },
        { label: 'Read', data: messages.daily.map((d) => d.read), borderColor: '#6a3d9a' },
        { label: 'Failed', data: messages.daily.map((d) => d.failed), borderColor: '#b3261e' }] } });
      const groups = [['Confirmed', noShows.confirmed], ['Reached, not confirmed', noShows.reachedNotConfirmed],
        ['Reached (all)', noShows.reached], ['Not reached', noShows.notReached]];
      draw(Chart, 'noshows', canvases.noshows, { type: 'bar', data: { labels: groups.map((g) => g[0]), datasets: [
        { label: 'No-show rate (%)', data: groups.map((g) => +(100 * noShowRate(g[1])).toFixed(1)),
          backgroundColor: ['#2e7d32', '#7cb342', '#1f5fa8', '#b3261e'] }] },
        options: { plugins: { legend: { display: false } } } });
      draw(Chart, 'replies', canvases.replies, { type: 'bar', data: { labels: INTENTS.map((i) => i[1]), datasets: [
        { label: 'Replies', data: INTENTS.map((i) => replies.replies[i[0]]), backgroundColor: '#1f5fa8' }] },
        options: { plugins: { legend: { display: false } } } });
      const qs = queues.queues || [];
      draw(Chart, 'queues', canvases.queues, { type: 'bar', data: { labels: qs.map((q) => q.queue), datasets: [
        { label: 'Median', data: qs.map((q) => q.medianFirstAnswerSeconds === null ? null
          : +(q.medianFirstAnswerSeconds / 60).toFixed(1)), backgroundColor: '#1f5fa8' },
        { label: '90th percentile', data: qs.map((q) => q.p90FirstAnswerSeconds === null ? null
          : +(q.p90FirstAnswerSeconds / 60).toFixed(1)), backgroundColor: '#f9a825' }] } });
      const fs = failures.failures || [];
      draw(Chart, 'failures', canvases.failures, { type: 'bar', data: {
        labels: fs.map((c) => (c.code === null ? 'no code' : String(c.code))), datasets: [
          { label: 'Failed sends', data: fs.map((c) => c.count), backgroundColor: '#b3261e' }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } } } });
    }

    await refresh();
    renderReports(reports, site.value, seq);
    poll(seq, refresh, DASHBOARD_POLL_MS);
  }

  // The monthly KPI report of the chosen site (docs/reports.md): made on the first of each month, or now.
  async function renderReports(box, site, seq) {
    if (!site) {
      clear(box).append(h('h2', {}, 'Monthly report'),
        h('p', { class: 'muted', test: 'report-pick-site' }, 'Choose a site to make or download its monthly report.'));
      return;
    }
    const last = new Date();
    last.setDate(1);
    last.setMonth(last.getMonth() - 1);
    const month = h('input', { id: 'report-month', type: 'month', test: 'report-month',
      value: last.getFullYear() + '-' + pad(last.getMonth() + 1) });
    const make = h('button', { type: 'button', test: 'report-make' }, 'Make report');
    const list = h('div', {});
    clear(box).append(h('h2', {}, 'Monthly report'), h('div', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'report-month' }, 'Month'), month), make), list);

    async function refresh() {
      const answer = await api('GET', '/reports' + query({ site }));
      if (seq !== state.seq) {
        return;
      }
      const base = API + '/reports/';
      clear(list).append(table('reports', ['Month', 'Made', 'How', 'Download'], answer.reports || [], (r) => ({
        attrs: { test: 'report-row', 'data-id': r.id },
        values: [r.month, when(r.createdAt), r.trigger + (r.requestedBy ? ' by ' + r.requestedBy : ''),
          [link(base + encodeURIComponent(r.id) + '/pdf', 'PDF', { test: 'report-pdf', download: '' }), ' ',
            link(base + encodeURIComponent(r.id) + '/csv', 'CSV', { test: 'report-csv', download: '' })]],
      })));
    }

    make.addEventListener('click', () => act(make, async () => {
      const r = await api('POST', '/reports', { site, month: month.value });
      flash('Report for ' + r.month + ' made.');
      await refresh();
    }));
    try {
      await refresh();
    } catch (e) {
      if (e.status !== 401) {
        list.append(problem(e));
      }
    }
  }

  // ---- auditor ---------------------------------------------------------------------------------------------

  async function renderAudit(route, seq) {
    const s = page('Audit trail', 'audit');
    const actor = h('input', { id: 'audit-actor', test: 'audit-actor', value: route.params.get('actor') || '' });
    const patient = h('input', { id: 'audit-patient', test: 'audit-patient',
      value: route.params.get('patient') || '' });
    const form = h('form', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'audit-actor' }, 'Who'), actor),
      h('div', { class: 'field' }, h('label', { for: 'audit-patient' }, 'Patient id'), patient),
      h('button', { type: 'submit', test: 'audit-search' }, 'Search'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = '#/audit' + query({ actor: actor.value.trim(), patient: patient.value.trim() });
    });
    const list = h('div', {});
    s.append(form, list);
    const items = await api('GET', '/audit' + query({ actor: route.params.get('actor'),
      patient: route.params.get('patient') }));
    if (seq !== state.seq) {
      return;
    }
    list.append(table('audit', ['When', 'Who', 'Action', 'Patient', 'Subject', 'Site', 'Outcome', 'Detail'], items,
      (e) => ({
        attrs: { test: 'audit-row', 'data-id': e.id },
        values: [when(e.at), e.actor || '', e.action || '', e.patientId === null || e.patientId === undefined
          ? '' : String(e.patientId), e.subject || '', e.siteCode || '', e.outcome || '', e.detail || ''],
      })));
  }

  // ---- admin -----------------------------------------------------------------------------------------------

  async function renderUsers(route, seq) {
    const s = page('Users and tokens', 'users');
    const list = h('div', {});

    const username = h('input', { id: 'new-username', test: 'new-username', autocomplete: 'off', required: true });
    const password = h('input', { id: 'new-password', test: 'new-password', type: 'password',
      autocomplete: 'new-password', required: true });
    const roleBoxes = ROLES.map((r) => h('input', { type: 'checkbox', id: 'new-role-' + r, test: 'new-role-' + r,
      value: r }));
    const sites = h('input', { id: 'new-sites', test: 'new-sites', placeholder: 'all sites' });
    const create = h('button', { type: 'submit', test: 'create-user' }, 'Add user');
    const userForm = h('form', { class: 'stack card', test: 'user-form' },
      h('h2', {}, 'Add a user'),
      h('label', { for: 'new-username' }, 'User name'), username,
      h('label', { for: 'new-password' }, 'Password'), password,
      h('fieldset', {}, h('legend', {}, 'Roles'), ROLES.map((r, i) => h('label', { class: 'check',
        for: 'new-role-' + r }, roleBoxes[i], ' ' + r))),
      h('label', { for: 'new-sites' }, 'Sites (comma-separated codes; empty for every site)'), sites,
      create);
    userForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      act(create, async () => {
        const roles = roleBoxes.filter((b) => b.checked).map((b) => b.value);
        const siteList = sites.value.split(',').map((x) => x.trim()).filter(Boolean);
        await api('POST', '/users', { username: username.value.trim(), password: password.value, roles,
          sites: siteList.length ? siteList : null });
        flash('User ' + username.value.trim() + ' added.');
        username.value = '';
        password.value = '';
        roleBoxes.forEach((b) => { b.checked = false; });
        sites.value = '';
        await refresh();
      });
    });

    const tokenUser = h('input', { id: 'token-username', test: 'token-username', required: true });
    const tokenName = h('input', { id: 'token-name', test: 'token-name', required: true,
      placeholder: 'e.g. monitoring' });
    const makeToken = h('button', { type: 'submit', test: 'create-token' }, 'Create token');
    const shown = h('div', { class: 'token', test: 'token', hidden: true });
    const tokenForm = h('form', { class: 'stack card', test: 'token-form' },
      h('h2', {}, 'Create an API token'),
      h('label', { for: 'token-username' }, 'For user'), tokenUser,
      h('label', { for: 'token-name' }, 'Name of the token'), tokenName,
      makeToken, shown);
    tokenForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      act(makeToken, async () => {
        const r = await api('POST', '/tokens', { username: tokenUser.value.trim(), name: tokenName.value.trim() });
        const value = h('input', { id: 'token-value', test: 'token-value', readonly: true, class: 'mono',
          'aria-describedby': 'token-hint' });
        value.value = r.token;
        clear(shown).append(
          h('label', { for: 'token-value' }, 'The new token'), value,
          h('p', { id: 'token-hint', class: 'notice warn' }, 'Copy it now (select it and press Ctrl+C or ⌘C): it '
            + 'is shown only this once. Machines send it as "Authorization: Bearer <token>".'));
        shown.hidden = false;
        value.focus();
        value.select();
      });
    });

    s.append(list, h('div', { class: 'columns' }, h('div', { class: 'column' }, userForm),
      h('div', { class: 'column' }, tokenForm)));

    async function refresh() {
      const users = await api('GET', '/users');
      if (seq !== state.seq) {
        return;
      }
      clear(list).append(table('users', ['User', 'Roles', 'Sites', 'State'], users, (u) => ({
        attrs: { test: 'user-row', 'data-username': u.username },
        values: [u.username, (u.roles || []).join(', '), u.sites && u.sites.length ? u.sites.join(', ') : 'all',
          u.disabled ? 'disabled' : u.locked ? 'locked' : 'active'],
      })));
    }

    await refresh();
  }

  // ---- start -----------------------------------------------------------------------------------------------

  async function start() {
    document.getElementById('skip').addEventListener('click', () => document.getElementById('main').focus());
    document.getElementById('signout').addEventListener('click', async () => {
      try {
        await api('DELETE', '/session');
      } catch (e) {
        // Signed out here either way.
      }
      signedOut(null);
      flash('Signed out.', false, { keep: true });
    });
    window.addEventListener('hashchange', () => {
      flashOnNavigate();
      render();
    });
    try {
      signedIn(await api('GET', '/session'));
    } catch (e) {
      state.me = null;
      showChrome();
      if (e.status !== 401) {
        flash(failure(e), true);
      }
    }
    render();
  }

  // A message belongs to the page it was shown on; moving on clears it (unless it was just set).
  let lastHash = location.hash;
  function flashOnNavigate() {
    if (location.hash !== lastHash) {
      lastHash = location.hash;
      const f = document.getElementById('flash');
      if (f.dataset.keep) {
        delete f.dataset.keep;
      } else {
        f.hidden = true;
      }
    }
  }

  document.addEventListener('DOMContentLoaded', start);
})();
