// The union's dashboard: a small page on the statistics and case API. No framework; every piece
// of API data reaches the page as text nodes (never innerHTML), and the token lives in sessionStorage.
(function () {
  'use strict';

  const API = '/api/v1';
  const TOKEN_KEY = 'dashboard.token';
  const USER_KEY = 'dashboard.user';
  const FILTERS_KEY = 'dashboard.filters';
  const LANG_KEY = 'dashboard.lang';
  const OPEN_STATUSES = 'registered,assigned,in_mediation';
  const LIST_SIZE = 20;
  const DAY_MS = 24 * 3600 * 1000;
  const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
  const COLORS = { received: '#2f6fde', concluded: '#8a94a6', agreements: '#1f9d6a', failed: '#d9534f', confirmed: '#7b4fd0' };

  const I18N = window.DASHBOARD_I18N;
  const state = {
    lang: readStored(localStorage, LANG_KEY) === 'en' ? 'en' : 'zh',
    token: readStored(sessionStorage, TOKEN_KEY),
    user: parseJson(readStored(sessionStorage, USER_KEY)),
    workstations: null,
    usersByWorkstation: new Map(),
    charts: [],
    loadSeq: 0,
    filters: null,
  };

  const $ = (id) => document.getElementById(id);

  // ---------- small helpers ----------

  function readStored(storage, key) {
    try {
      return storage.getItem(key);
    } catch {
      return null;
    }
  }

  function parseJson(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  }

  function t(key, vars) {
    const dict = I18N[state.lang];
    let s = dict[key] !== undefined ? dict[key] : I18N.zh[key] !== undefined ? I18N.zh[key] : key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
    return s;
  }

  /** A code's label in a group (statuses, disputeTypes...), or the code itself when unknown. */
  function label(group, code) {
    if (code === null || code === undefined) return '—';
    const g = I18N[state.lang][group] || {};
    return g[code] !== undefined ? g[code] : String(code);
  }

  /** Builds an element; strings among children become text nodes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = String(v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function shanghaiToday() {
    return new Date(Date.now() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  }

  function locale() {
    return state.lang === 'en' ? 'en-GB' : 'zh-CN';
  }

  function formatDateTime(value) {
    if (!value) return '—';
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) return String(value);
    return new Intl.DateTimeFormat(locale(), { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  }

  function formatDate(value) {
    if (!value) return '—';
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) return String(value);
    return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  }

  /** "1234567.50" → "¥1,234,567.50", on the string: amounts never go through floating point. */
  function formatMoney(value) {
    if (value === null || value === undefined || value === '') return '—';
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value));
    if (!m) return String(value);
    const int = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${m[1]}¥${int}.${(m[3] || '').padEnd(2, '0').slice(0, 2)}`;
  }

  function formatCount(n) {
    return typeof n === 'number' ? n.toLocaleString(locale()) : '—';
  }

  /** part / whole as a percentage with one decimal, rounded half up in integers (656/976 → "67.2%"). */
  function percent(part, whole, rate) {
    if (Number.isInteger(part) && Number.isInteger(whole)) {
      if (whole <= 0) return '—';
      const tenths = Math.floor((2000 * part + whole) / (2 * whole));
      return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
    }
    if (typeof rate !== 'number') return '—';
    const bp = Math.round(rate * 10000);
    const tenths = Math.floor((bp + 5) / 10);
    return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
  }

  // ---------- API ----------

  class ApiError extends Error {
    constructor(status, message, body) {
      super(message);
      this.status = status;
      this.body = body;
    }
  }

  async function api(path, options = {}) {
    const headers = { Accept: 'application/json' };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(API + path, { method: options.method || 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    if (res.status === 401 && state.token) {
      signOut();
      throw new ApiError(401, 'signed out');
    }
    const isJson = (res.headers.get('content-type') || '').includes('application/json');
    const body = isJson ? await res.json() : null;
    if (!res.ok) throw new ApiError(res.status, (body && body.message) || res.statusText, body);
    return body;
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
  }

  // ---------- session ----------

  const role = () => (state.user ? state.user.role : null);
  const isMediator = () => role() === 'mediator';
  const isClerk = () => role() === 'court_clerk';
  const canRule = () => role() === 'court_clerk' || role() === 'admin';

  async function signIn(username, password) {
    const res = await fetch(`${API}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ username, password }) });
    if (!res.ok) throw new ApiError(res.status, res.status === 429 ? t('tooManyAttempts') : t('loginFailed'));
    const body = await res.json();
    state.token = body.accessToken;
    state.user = body.user;
    sessionStorage.setItem(TOKEN_KEY, state.token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(state.user));
  }

  function signOut() {
    state.token = null;
    state.user = null;
    state.workstations = null;
    state.usersByWorkstation.clear();
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    sessionStorage.removeItem(FILTERS_KEY);
    state.filters = null;
    route();
  }

  // ---------- views ----------

  function show(viewId) {
    for (const id of ['login-view', 'overview-view', 'case-view']) $(id).hidden = id !== viewId;
    $('logout').hidden = viewId === 'login-view';
    renderWhoami();
  }

  function renderWhoami() {
    const who = $('whoami');
    clear(who);
    if (state.user) append(who, [el('span', { class: 'role-badge', text: label('roles', state.user.role) }), ' ', state.user.displayName || state.user.username]);
  }

  function applyStaticLabels() {
    document.documentElement.lang = t('htmlLang');
    document.title = t('appTitle');
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
    $('lang-switch').textContent = t('otherLanguage');
  }

  function route() {
    destroyCharts();
    if (!state.token || !state.user) {
      show('login-view');
      return;
    }
    const caseMatch = /^#\/cases\/([0-9a-fA-F-]{36})$/.exec(location.hash);
    if (caseMatch) {
      show('case-view');
      loadCase(caseMatch[1]);
    } else {
      show('overview-view');
      loadOverview();
    }
  }

  // ---------- overview ----------

  function defaultFilters() {
    const today = shanghaiToday();
    return { workstationId: '', from: `${today.slice(0, 4)}-01-01`, to: today };
  }

  function currentFilters() {
    if (!state.filters) state.filters = { ...defaultFilters(), ...(parseJson(readStored(sessionStorage, FILTERS_KEY)) || {}) };
    if (isMediator()) state.filters.workstationId = '';
    return state.filters;
  }

  async function ensureWorkstations() {
    if (state.workstations) return state.workstations;
    state.workstations = isMediator() ? [] : await api('/workstations');
    return state.workstations;
  }

  function renderFilters() {
    const form = $('filters');
    const f = currentFilters();
    const select = form.elements.workstationId;
    clear(select);
    const list = state.workstations || [];
    // Only users who can see more than one workstation get the choice.
    $('workstation-filter').hidden = isMediator() || list.length < 2;
    append(select, [el('option', { value: '', text: t('allWorkstations') }), list.map((w) => el('option', { value: w.id, text: `${w.code} ${w.name}` }))]);
    select.value = list.some((w) => w.id === f.workstationId) ? f.workstationId : '';
    form.elements.from.value = f.from;
    form.elements.to.value = f.to;
  }

  function readFilters() {
    const form = $('filters');
    const f = { workstationId: form.elements.workstationId.value, from: form.elements.from.value, to: form.elements.to.value };
    if (f.from && f.to && f.from > f.to) [f.from, f.to] = [f.to, f.from];
    state.filters = f;
    sessionStorage.setItem(FILTERS_KEY, JSON.stringify(f));
    return f;
  }

  function setStatus(text, isError) {
    const s = $('overview-status');
    s.textContent = text || '';
    s.classList.toggle('error', !!isError);
  }

  async function loadOverview() {
    const seq = ++state.loadSeq;
    const sections = clear($('sections'));
    sections.dataset.state = 'loading';
    setStatus(t('loading'));
    try {
      await ensureWorkstations();
      if (seq !== state.loadSeq) return;
      renderFilters();
      const f = currentFilters();
      const period = { from: f.from, to: f.to, workstationId: f.workstationId };
      const [summary, series, byType, byMediator, overdue, pending] = await Promise.all([
        api(`/stats/summary${query(period)}`),
        api(`/stats/timeseries${query({ interval: 'month', ...period })}`),
        api(`/stats/breakdown${query({ by: 'disputeType', ...period })}`),
        isMediator() ? Promise.resolve(null) : api(`/stats/breakdown${query({ by: 'mediator', ...period })}`),
        api(`/cases${query({ overdue: 'true', status: OPEN_STATUSES, workstationId: f.workstationId, pageSize: LIST_SIZE })}`),
        api(`/confirmations${query({ status: 'pending', pageSize: 100 })}`),
      ]);
      if (seq !== state.loadSeq) return;
      destroyCharts();
      const mediatorNames = new Map((byMediator ? byMediator.rows : []).filter((r) => r.mediatorId).map((r) => [r.mediatorId, r.displayName]));
      const pendingItems = pending.items.filter((c) => !f.workstationId || c.workstationId === f.workstationId);
      const parts = {
        figures: renderFigures(summary),
        charts: renderCharts(series, byType),
        mediators: byMediator ? renderMediatorTable(byMediator) : null,
        overdue: renderOverdue(overdue, mediatorNames),
        pending: renderPending(pendingItems, f.workstationId ? null : pending.total),
      };
      // A court clerk's work is the confirmation queue: it comes first.
      const order = isClerk() ? ['pending', 'figures', 'charts', 'overdue', 'mediators'] : ['figures', 'charts', 'mediators', 'overdue', 'pending'];
      for (const key of order) if (parts[key]) sections.appendChild(parts[key].node);
      for (const key of order) if (parts[key] && parts[key].afterAttach) parts[key].afterAttach();
      setStatus('');
      sections.dataset.state = 'ready';
    } catch (e) {
      if (seq !== state.loadSeq || (e instanceof ApiError && e.status === 401)) return;
      if (!(e instanceof ApiError)) console.error(e);
      setStatus(t('loadFailed') + e.message, true);
      sections.dataset.state = 'error';
    }
  }

  function figureCard(key, value, sub) {
    return el('div', { class: 'card figure', dataset: { figure: key } }, el('div', { class: 'figure-label', text: t(key) }), el('div', { class: 'figure-value', text: value }), el('div', { class: 'figure-sub', text: sub || '' }));
  }

  function renderFigures(s) {
    const node = el(
      'section',
      { class: 'figures', 'aria-label': 'figures' },
      figureCard('received', formatCount(s.received), `${s.from} – ${s.to}`),
      figureCard('concluded', formatCount(s.concluded), t('failedWithdrawn', { failed: formatCount(s.failed), withdrawn: formatCount(s.withdrawn) })),
      figureCard('successRate', percent(s.agreements, s.concluded, s.successRate), t('agreementsOf', { n: formatCount(s.agreements) })),
      figureCard('confirmationRate', percent(s.confirmed, s.agreements, s.confirmationRate), t('confirmedOf', { n: formatCount(s.confirmed) })),
      figureCard('overdueOpen', formatCount(s.overdueOpen), t('nowLabel')),
      figureCard('amountAgreed', formatMoney(s.amountAgreed), s.avgDaysToConclude === null || s.avgDaysToConclude === undefined ? '' : t('avgDays', { n: s.avgDaysToConclude })),
    );
    return { node };
  }

  function chartCard(title, testId) {
    const canvas = el('canvas', { 'aria-label': title, role: 'img' });
    const node = el('div', { class: 'card chart-card', dataset: { testid: testId } }, el('h2', { text: title }), el('div', { class: 'chart-box' }, canvas));
    return { node, canvas };
  }

  function renderCharts(series, byType) {
    const trend = chartCard(t('trendTitle'), 'trend-chart');
    const types = chartCard(t('byTypeTitle'), 'type-chart');
    const node = el('section', { class: 'charts' }, trend.node, types.node);
    const afterAttach = () => {
      if (typeof window.Chart !== 'function') return;
      const months = series.points.map((p) => p.month);
      state.charts.push(
        new window.Chart(trend.canvas, {
          type: 'bar',
          data: {
            labels: months,
            datasets: [
              { label: t('received'), data: series.points.map((p) => p.received), backgroundColor: COLORS.received },
              { label: t('concluded'), data: series.points.map((p) => p.concluded), backgroundColor: COLORS.concluded },
              { type: 'line', label: t('agreements'), data: series.points.map((p) => p.agreements), borderColor: COLORS.agreements, backgroundColor: COLORS.agreements, tension: 0.2 },
            ],
          },
          options: chartOptions(),
        }),
      );
      const rows = byType.rows.filter((r) => r.received || r.concluded);
      state.charts.push(
        new window.Chart(types.canvas, {
          type: 'bar',
          data: {
            labels: rows.map((r) => label('disputeTypes', r.disputeType)),
            datasets: [
              { label: t('agreements'), data: rows.map((r) => r.agreements), backgroundColor: COLORS.agreements, stack: 'concluded' },
              { label: t('failed'), data: rows.map((r) => r.failed), backgroundColor: COLORS.failed, stack: 'concluded' },
              { label: t('withdrawn'), data: rows.map((r) => r.withdrawn), backgroundColor: COLORS.concluded, stack: 'concluded' },
            ],
          },
          options: { ...chartOptions(), indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } },
        }),
      );
    };
    return { node, afterAttach };
  }

  function chartOptions() {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    };
  }

  function destroyCharts() {
    for (const c of state.charts) c.destroy();
    state.charts = [];
  }

  function table(headers, rows, testId) {
    return el(
      'table',
      { class: 'data-table', dataset: { testid: testId } },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { text: h })))),
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: headers.length, class: 'muted', text: t('none') }))),
    );
  }

  function caseLink(id, caseNumber) {
    return el('a', { href: `#/cases/${encodeURIComponent(id)}`, class: 'case-link', text: caseNumber });
  }

  function renderMediatorTable(breakdown) {
    const rows = breakdown.rows.map((r) =>
      el(
        'tr',
        {},
        el('td', { text: r.mediatorId ? r.displayName || r.mediatorId : t('unassigned') }),
        el('td', { class: 'num', text: formatCount(r.received) }),
        el('td', { class: 'num', text: formatCount(r.concluded) }),
        el('td', { class: 'num', text: formatCount(r.agreements) }),
        el('td', { class: 'num', text: percent(r.agreements, r.concluded, r.successRate) }),
        el('td', { class: 'num', text: formatCount(r.overdueOpen) }),
        el('td', { class: 'num', text: formatMoney(r.amountAgreed) }),
      ),
    );
    const node = el(
      'section',
      { class: 'card' },
      el('h2', { text: t('byMediatorTitle') }),
      table([t('mediator'), t('received'), t('concluded'), t('agreements'), t('successRate'), t('overdueOpen'), t('amountAgreed')], rows, 'mediator-table'),
    );
    return { node };
  }

  function daysOverdue(deadlineAt) {
    const ms = Date.now() - new Date(deadlineAt).getTime();
    return ms > 0 ? Math.floor(ms / DAY_MS) : 0;
  }

  function renderOverdue(list, mediatorNames) {
    const rows = list.items.map((c) =>
      el(
        'tr',
        {},
        el('td', {}, caseLink(c.id, c.caseNumber)),
        el('td', { text: `${c.applicant.name} / ${c.respondent.name}` }),
        el('td', { text: label('disputeTypes', c.disputeType) }),
        el('td', { text: c.mediatorId ? mediatorNames.get(c.mediatorId) || '—' : t('unassigned') }),
        el('td', { text: formatDate(c.deadlineAt) }),
        el('td', { class: 'num', text: String(daysOverdue(c.deadlineAt)) }),
      ),
    );
    const node = el(
      'section',
      { class: 'card' },
      el('h2', {}, t('overdueTitle'), el('span', { class: 'count-badge', text: formatCount(list.total) })),
      table([t('caseNumber'), t('parties'), t('disputeType'), t('mediator'), t('deadline'), t('daysOverdue')], rows, 'overdue-list'),
      list.total > list.items.length ? el('p', { class: 'muted', text: t('moreItems', { n: list.total - list.items.length }) }) : null,
    );
    return { node };
  }

  function renderPending(items, total) {
    const shown = items.slice(0, LIST_SIZE);
    const count = total === null ? items.length : total;
    const rows = shown.map((c) =>
      el(
        'tr',
        {},
        el('td', {}, caseLink(c.caseId, c.caseNumber)),
        el('td', { text: `${c.applicantName} / ${c.respondentName}` }),
        el('td', { text: label('disputeTypes', c.disputeType) }),
        el('td', { class: 'num', text: formatMoney(c.agreedAmount) }),
        el('td', { text: formatDate(c.appliedAt) }),
        el('td', { text: formatDate(c.rulingDueAt) }),
      ),
    );
    const node = el(
      'section',
      { class: 'card', dataset: { section: 'pending' } },
      el('h2', {}, t('pendingTitle'), el('span', { class: 'count-badge', text: formatCount(count) })),
      table([t('caseNumber'), t('parties'), t('disputeType'), t('agreedAmount'), t('appliedAt'), t('rulingDue')], rows, 'pending-list'),
      count > shown.length ? el('p', { class: 'muted', text: t('moreItems', { n: count - shown.length }) }) : null,
    );
    return { node };
  }

  /** The export needs the bearer token, so it is fetched here and handed to the browser as a file. */
  async function exportCsv() {
    const f = readFilters();
    const button = $('export-csv');
    button.disabled = true;
    setStatus(t('exporting'));
    try {
      const res = await fetch(`${API}/cases/export.csv${query({ workstationId: f.workstationId, receivedFrom: f.from, receivedTo: f.to })}`, { headers: { Authorization: `Bearer ${state.token}` } });
      if (res.status === 401) return signOut();
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        throw new ApiError(res.status, (body && body.message) || res.statusText);
      }
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: `cases_${f.from}_${f.to}.csv`, hidden: true });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      setStatus('');
    } catch (e) {
      setStatus(t('loadFailed') + e.message, true);
    } finally {
      button.disabled = false;
    }
  }

  // ---------- one case ----------

  async function usersOf(workstationId) {
    if (isMediator()) return new Map([[state.user.id, state.user.displayName]]);
    if (!state.usersByWorkstation.has(workstationId)) {
      const users = await api(`/users${query({ workstationId })}`).catch(() => []);
      state.usersByWorkstation.set(workstationId, new Map(users.map((u) => [u.id, u.displayName])));
    }
    return state.usersByWorkstation.get(workstationId);
  }

  async function loadCase(id) {
    const seq = ++state.loadSeq;
    const view = clear($('case-view'));
    view.dataset.state = 'loading';
    const back = el('a', { href: '#/', class: 'back-link', text: t('backToOverview') });
    view.appendChild(back);
    const status = el('p', { class: 'muted', role: 'status', text: t('loading') });
    view.appendChild(status);
    try {
      const [c, events] = await Promise.all([api(`/cases/${encodeURIComponent(id)}`), api(`/cases/${encodeURIComponent(id)}/events`)]);
      const names = await usersOf(c.workstationId);
      if (seq !== state.loadSeq) return;
      const content = el('div', { class: 'case-content' });
      renderCase(content, c, events, names);
      status.replaceWith(content);
      view.dataset.state = 'ready';
    } catch (e) {
      if (seq !== state.loadSeq || (e instanceof ApiError && e.status === 401)) return;
      if (!(e instanceof ApiError)) console.error(e);
      status.classList.add('error');
      status.textContent = e instanceof ApiError && e.status === 404 ? t('notFound') : t('loadFailed') + e.message;
      view.dataset.state = 'error';
    }
  }

  function facts(pairs) {
    return el('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => [el('dt', { text: k }), el('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
  }

  function statusBadge(code) {
    return el('span', { class: `status status-${code}`, dataset: { status: code }, text: label('statuses', code) });
  }

  function renderCase(view, c, events, names) {
    const nameOf = (userId) => (userId ? names.get(userId) || '—' : t('system'));
    append(view, [
      el('h2', { class: 'case-title' }, t('caseTitle', { n: c.caseNumber }), ' ', statusBadge(c.status), c.overdue ? el('span', { class: 'status status-overdue', text: t('overdueFlag') }) : null),
      el(
        'div',
        { class: 'case-grid' },
        el(
          'section',
          { class: 'card' },
          el('h3', { text: t('caseFacts') }),
          facts([
            [t('source'), label('sources', c.source)],
            [t('disputeType'), label('disputeTypes', c.disputeType)],
            [t('summary'), c.summary],
            [t('claimAmount'), formatMoney(c.claimAmount)],
            [t('workerCount'), String(c.workerCount)],
            c.courtCaseNumber ? [t('courtCaseNumber'), c.courtCaseNumber] : null,
            [t('mediator'), c.mediatorId ? nameOf(c.mediatorId) : t('unassigned')],
            [t('receivedAt'), formatDate(c.receivedAt)],
            [t('deadline'), formatDate(c.deadlineAt)],
            c.concludedAt ? [t('concludedAt'), formatDate(c.concludedAt)] : null,
            c.outcomeReason ? [t('outcomeReason'), c.outcomeReason] : null,
          ]),
        ),
        el(
          'section',
          { class: 'card', dataset: { testid: 'parties' } },
          el('h3', { text: t('parties') }),
          el('h4', { text: t('applicant') }),
          facts([
            [t('name'), c.applicant.name],
            [t('idNumber'), c.applicant.idNumber],
            [t('phone'), c.applicant.phone],
          ]),
          el('h4', { text: t('respondent') }),
          facts([
            [t('name'), c.respondent.name],
            [t('creditCode'), c.respondent.creditCode],
            [t('phone'), c.respondent.phone],
          ]),
        ),
      ),
      renderConfirmation(c),
      renderAgreement(c.agreement),
      renderSessions(c.sessions || []),
      renderTimeline(events, nameOf),
    ]);
  }

  function renderSessions(sessions) {
    const rows = sessions.map((s) =>
      el('tr', {}, el('td', { text: formatDateTime(s.scheduledAt) }), el('td', { text: label('modes', s.mode) }), el('td', { text: s.location || '—' }), el('td', {}, statusBadge(s.status)), el('td', { text: s.notes || '' })),
    );
    return el('section', { class: 'card' }, el('h3', { text: t('sessionsTitle') }), table([t('scheduledAt'), t('mode'), t('location'), t('status'), t('notes')], rows, 'sessions'));
  }

  function renderAgreement(a) {
    const section = el('section', { class: 'card', dataset: { testid: 'agreement' } }, el('h3', { text: t('agreementTitle') }));
    if (!a) return append(section, [el('p', { class: 'muted', text: t('none') })]);
    append(section, [
      facts([
        [t('terms'), a.terms],
        [t('agreedAmount'), formatMoney(a.agreedAmount)],
        [t('signedAt'), formatDate(a.signedAt)],
        [t('effectiveAt'), formatDate(a.effectiveAt)],
        a.inBreach ? [t('inBreach'), formatDate(a.breachedAt)] : null,
      ]),
    ]);
    if (a.installments && a.installments.length) {
      const rows = a.installments.map((i) =>
        el('tr', {}, el('td', { class: 'num', text: String(i.n) }), el('td', { text: formatDate(i.dueDate) }), el('td', { class: 'num', text: formatMoney(i.amount) }), el('td', {}, statusBadge(i.status)), el('td', { text: formatDate(i.paidAt) })),
      );
      append(section, [el('h4', { text: t('installmentsTitle') }), table([t('installmentNo'), t('dueDate'), t('amount'), t('status'), t('paidAt')], rows, 'installments')]);
    }
    return section;
  }

  function renderConfirmation(c) {
    const conf = c.confirmation;
    const section = el('section', { class: 'card', dataset: { testid: 'confirmation' } }, el('h3', { text: t('confirmationTitle') }));
    if (!conf) return append(section, [el('p', { class: 'muted', text: t('none') })]);
    append(section, [
      facts([
        [t('status'), statusBadge(conf.status)],
        [t('appliedAt'), formatDate(conf.appliedAt)],
        conf.ruledAt ? [t('ruledAt'), formatDate(conf.ruledAt)] : null,
        conf.rulingNumber ? [t('rulingNumber'), conf.rulingNumber] : null,
        conf.reason ? [t('reason'), conf.reason] : null,
      ]),
    ]);
    if (conf.status === 'pending' && canRule()) section.appendChild(rulingForm(c, conf));
    return section;
  }

  function rulingForm(c, conf) {
    const message = el('p', { class: 'error', role: 'alert', hidden: true });
    const form = el(
      'form',
      { class: 'ruling-form', dataset: { testid: 'ruling-form' } },
      el('h4', { text: t('recordRuling') }),
      el(
        'label',
        {},
        el('span', { text: t('decision') }),
        el('select', { name: 'decision' }, el('option', { value: 'confirmed', text: t('decisionConfirmed') }), el('option', { value: 'rejected', text: t('decisionRejected') })),
      ),
      el('label', {}, el('span', { text: t('rulingNumber') }), el('input', { name: 'rulingNumber', required: true, maxlength: 100, placeholder: '(2026)鄂0102民特123号' })),
      el('label', {}, el('span', { text: t('reason') }), el('textarea', { name: 'reason', maxlength: 2000, rows: 2 })),
      message,
      el('button', { type: 'submit', class: 'primary', text: t('submitRuling') }),
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const decision = form.elements.decision.value;
      const rulingNumber = form.elements.rulingNumber.value.trim();
      const reason = form.elements.reason.value.trim();
      if (decision === 'rejected' && !reason) {
        message.hidden = false;
        message.textContent = t('reasonRequired');
        return;
      }
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        await api(`/confirmations/${encodeURIComponent(conf.id)}/ruling`, { method: 'POST', body: { decision, rulingNumber, ...(reason ? { reason } : {}), expectedVersion: c.version } });
        loadCase(c.id);
      } catch (e) {
        message.hidden = false;
        message.textContent = t('loadFailed') + e.message;
        button.disabled = false;
      }
    });
    return form;
  }

  const EVENT_FIELDS = ['status', 'mediatorName', 'scheduledAt', 'mode', 'location', 'text', 'notes', 'reason', 'days', 'deadlineAt', 'agreedAmount', 'amount', 'installment', 'paidAt', 'rulingNumber', 'decision'];

  /** A line of what changed: the event's known "after" fields, as text. */
  function eventDetail(e) {
    const after = e.after || {};
    const parts = [];
    for (const key of EVENT_FIELDS) {
      const v = after[key];
      if (v === undefined || v === null || v === '' || typeof v === 'object') continue;
      if (key === 'status') parts.push(label('statuses', v));
      else if (key === 'mode') parts.push(label('modes', v));
      else if (key === 'scheduledAt' || key === 'deadlineAt' || key === 'paidAt') parts.push(formatDateTime(v));
      else if (key === 'agreedAmount' || key === 'amount') parts.push(formatMoney(v));
      else parts.push(String(v));
    }
    return parts.join(' · ');
  }

  function renderTimeline(events, nameOf) {
    const items = events.map((e) =>
      el(
        'li',
        { dataset: { event: e.type } },
        el('time', { datetime: e.at, text: formatDateTime(e.at) }),
        el('strong', { text: label('events', e.type) }),
        el('span', { class: 'muted', text: `${t('actor')}: ${nameOf(e.actorId)}` }),
        el('div', { class: 'event-detail', text: eventDetail(e) }),
      ),
    );
    return el('section', { class: 'card' }, el('h3', { text: t('timelineTitle') }), el('ol', { class: 'timeline', dataset: { testid: 'timeline' } }, items.length ? items : el('li', { class: 'muted', text: t('none') })));
  }

  // ---------- wiring ----------

  function init() {
    applyStaticLabels();
    $('lang-switch').addEventListener('click', () => {
      state.lang = state.lang === 'zh' ? 'en' : 'zh';
      try {
        localStorage.setItem(LANG_KEY, state.lang);
      } catch {
        // private mode: the choice lasts for this page only
      }
      applyStaticLabels();
      route();
    });
    $('logout').addEventListener('click', () => {
      location.hash = '';
      signOut();
    });
    $('login-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const form = ev.currentTarget;
      const error = $('login-error');
      error.hidden = true;
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        await signIn(form.elements.username.value.trim(), form.elements.password.value);
        form.reset();
        state.filters = null;
        route();
      } catch (e) {
        error.hidden = false;
        error.textContent = e instanceof ApiError ? e.message : t('loadFailed') + e.message;
      } finally {
        button.disabled = false;
      }
    });
    $('filters').addEventListener('submit', (ev) => {
      ev.preventDefault();
      readFilters();
      loadOverview();
    });
    $('filters').elements.workstationId.addEventListener('change', () => {
      readFilters();
      loadOverview();
    });
    $('export-csv').addEventListener('click', exportCsv);
    window.addEventListener('hashchange', route);
    route();
  }

  init();
})();
