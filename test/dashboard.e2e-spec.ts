import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { Role } from '../src/auth/role.enum';
import { caseInState } from './utils/case-factory';
import { makeUser, makeWorkstation, TEST_PASSWORD, TestUser, TestWorkstation } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * The dashboard in Debian's Chromium, against the real app on a real port. The seed's figures
 * (976 concluded in 2025: 656 agreements, all judicially confirmed, and 320 failures) are written
 * with SQL: 600 + 200 at workstation A, 56 + 120 at workstation B, so that the whole city shows
 * 67.2%, A alone 75.0% and B alone 31.8%.
 */
// Code run inside the page (page.evaluate) sees the browser's globals; the project's TypeScript has no DOM library.
declare const window: any;
declare const document: any;

const ARTIFACTS = join(__dirname, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PERIOD = { from: '2025-01-01', to: '2025-12-31' };

jest.setTimeout(30_000);

describe('dashboard (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let wsA: TestWorkstation;
  let wsB: TestWorkstation;
  let admin: TestUser;
  let staffA: TestUser;
  let clerkA: TestUser;
  let mediatorA1: TestUser;
  let pendingCase: { id: string; caseNumber: string; confirmationId?: string };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk (see .ci/run)`);
    [t, browser] = await Promise.all([
      createTestApp({ workers: false }),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
      }),
    ]);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    mkdirSync(ARTIFACTS, { recursive: true });

    [wsA, wsB] = await Promise.all([makeWorkstation(t), makeWorkstation(t)]);
    let mediatorA2: TestUser, mediatorB: TestUser;
    [admin, staffA, clerkA, mediatorA1, mediatorA2, mediatorB] = await Promise.all([
      makeUser(t, Role.Admin, null),
      makeUser(t, Role.UnionStaff, wsA.id),
      makeUser(t, Role.CourtClerk, wsA.id),
      makeUser(t, Role.Mediator, wsA.id),
      makeUser(t, Role.Mediator, wsA.id),
      makeUser(t, Role.Mediator, wsB.id),
    ]);
    await Promise.all([seedConcluded(wsA, 600, 200, [mediatorA1, mediatorA2]), seedConcluded(wsB, 56, 120, [mediatorB, mediatorB])]);
    // Open cases past their deadline (the reminder job would have flagged them): one is mediator A1's.
    await t.db.query(
      `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name, applicant_id_number, respondent_name, mediator_id, received_at, deadline_at, overdue)
       SELECT $1 || '-2026-9' || lpad(g::text, 5, '0'), $2, 'walk_in', 'dismissal', 'assigned', '违法解除劳动合同', '30000.00', '超期申请人' || g, '420102199203035678',
              CASE WHEN g = 3 THEN '<img src=x onerror="window.__injected=1">有限公司' ELSE '某某科技有限公司' END, $3,
              now() - interval '40 days', now() - interval '25 days' + g * interval '1 day', true
         FROM generate_series(1, 3) g`,
      [wsA.code, wsA.id, mediatorA2.id],
    );
    await t.db.query(`UPDATE cases SET mediator_id = $1 WHERE case_number = $2`, [mediatorA1.id, `${wsA.code}-2026-900001`]);
    // One case driven through the API up to a pending confirmation request: it has a full timeline.
    pendingCase = await caseInState(t, { ws: wsA, staff: staffA, mediator: mediatorA1, clerk: clerkA }, 'confirmation_requested');
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Concluded 2025 cases straight in SQL: `confirmed` with agreements and confirmations, then `failed`. */
  async function seedConcluded(ws: TestWorkstation, confirmed: number, failed: number, mediators: TestUser[]) {
    await t.db.query(
      `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name, applicant_id_number, respondent_name,
                          mediator_id, received_at, deadline_at, concluded_at, outcome_reason)
       SELECT $1 || '-2025-' || lpad(g::text, 6, '0'), $2, 'walk_in',
              (ARRAY['wage_arrears','dismissal','social_insurance','work_injury','overtime','compensation','other'])[1 + g % 7],
              CASE WHEN g <= $3::int THEN 'confirmed' ELSE 'failed' END, '劳动争议', '10000.00', '申请人' || g, '420102199001011234', '某某有限公司' || g,
              CASE WHEN g % 2 = 0 THEN $5::uuid ELSE $6::uuid END, r, r + interval '15 days', r + interval '10 days',
              CASE WHEN g > $3::int THEN '双方分歧较大' END
         FROM generate_series(1, $3::int + $4::int) g,
              LATERAL (SELECT timestamptz '2025-01-05 10:00+08' + ((g * 7919) % 320) * interval '1 day' AS r) x`,
      [ws.code, ws.id, confirmed, failed, mediators[0].id, mediators[1].id],
    );
    await t.db.query(
      `INSERT INTO agreements (case_id, terms, agreed_amount, signed_at, effective_at)
       SELECT id, '一次性支付', '8000.00', concluded_at, concluded_at FROM cases WHERE workstation_id = $1 AND status = 'confirmed'`,
      [ws.id],
    );
    await t.db.query(
      `INSERT INTO confirmations (case_id, workstation_id, status, applied_at, ruled_at, ruling_number)
       SELECT id, workstation_id, 'confirmed', concluded_at + interval '2 days', concluded_at + interval '9 days', '(2025)测民特' || case_number || '号'
         FROM cases WHERE workstation_id = $1 AND status = 'confirmed'`,
      [ws.id],
    );
  }

  /** A fresh browser session; page errors and console errors (CSP violations included) are collected. */
  async function open(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    context.setDefaultTimeout(5_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    return { context, page, errors };
  }

  async function login(page: Page, user: TestUser) {
    await page.goto(`${base}/dashboard`);
    await page.fill('input[name=username]', user.username);
    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await overviewReady(page);
  }

  async function overviewReady(page: Page) {
    await page.waitForSelector('#sections[data-state=ready]', { timeout: 10_000 });
  }

  async function setPeriod(page: Page, from: string, to: string) {
    await page.fill('input[name=from]', from);
    await page.fill('input[name=to]', to);
    await page.click('#filters button[type=submit]');
    await overviewReady(page);
  }

  const figure = (page: Page, key: string) => page.textContent(`[data-figure="${key}"] .figure-value`);

  it('logs in and shows the seed figures, charts and lists; filters by workstation and period; exports CSV', async () => {
    const { context, page, errors } = await open();
    await login(page, admin);
    expect(await page.textContent('h1')).toBe('劳动争议诉调对接 · 数据看板');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.isVisible('[data-testid=workstation-select]')).toBe(true);

    await setPeriod(page, PERIOD.from, PERIOD.to);
    expect(await figure(page, 'successRate')).toBe('67.2%');
    expect(await figure(page, 'concluded')).toBe('976');
    expect(await figure(page, 'received')).toBe('976');
    expect(await figure(page, 'confirmationRate')).toBe('100.0%');
    expect(await figure(page, 'amountAgreed')).toBe('¥5,248,000.00');
    expect(await figure(page, 'overdueOpen')).toBe('3');
    expect(await page.textContent('[data-figure="successRate"] .figure-sub')).toBe('达成协议 656 件');

    // The charts hold the period's figures and have painted something.
    const charts = await page.evaluate(() => {
      const chartOf = (id: string) => window.Chart.getChart(document.querySelector(`[data-testid=${id}] canvas`));
      const trend = chartOf('trend-chart');
      const types = chartOf('type-chart');
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const canvas = document.querySelector('[data-testid=trend-chart] canvas');
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      return {
        months: trend.data.labels as string[],
        received: sum(trend.data.datasets[0].data),
        agreements: sum(trend.data.datasets[2].data),
        typeLabels: types.data.labels as string[],
        typeAgreements: sum(types.data.datasets[0].data),
        painted,
      };
    });
    expect(charts.months[0]).toBe('2025-01');
    expect(charts.months).toHaveLength(12);
    expect(charts.received).toBe(976);
    expect(charts.agreements).toBe(656);
    expect(charts.typeLabels).toContain('拖欠工资');
    expect(charts.typeAgreements).toBe(656);
    expect(charts.painted).toBeGreaterThan(1000);

    const mediatorRows = await page.$$eval('[data-testid=mediator-table] tbody tr', (rows: any[]) => rows.map((r) => Array.from(r.children, (c: any) => c.textContent)));
    expect(mediatorRows).toHaveLength(3);
    expect(mediatorRows.find((r) => r[0] === mediatorA1.displayName)).toEqual([mediatorA1.displayName, '400', '400', '300', '75.0%', '1', '¥2,400,000.00']);
    expect(await page.$$eval('[data-testid=overdue-list] tbody a.case-link', (as) => as.map((a) => a.textContent))).toHaveLength(3);
    // API text is shown as text, never parsed as markup.
    expect(await page.textContent('[data-testid=overdue-list]')).toContain('<img src=x onerror="window.__injected=1">有限公司');
    expect(await page.$$('[data-testid=overdue-list] img')).toHaveLength(0);
    expect(await page.evaluate(() => window.__injected)).toBeUndefined();
    expect(await page.$$eval('[data-testid=pending-list] tbody a.case-link', (as) => as.map((a) => a.textContent))).toEqual([pendingCase.caseNumber]);

    // Workstation filter.
    await page.selectOption('[data-testid=workstation-select]', wsA.id);
    await overviewReady(page);
    expect(await figure(page, 'successRate')).toBe('75.0%');
    expect(await figure(page, 'concluded')).toBe('800');
    await page.selectOption('[data-testid=workstation-select]', wsB.id);
    await overviewReady(page);
    expect(await figure(page, 'successRate')).toBe('31.8%');
    expect(await figure(page, 'concluded')).toBe('176');
    expect(await page.$$eval('[data-testid=overdue-list] tbody a.case-link', (as) => as.length)).toBe(0);
    expect(await page.$$eval('[data-testid=pending-list] tbody a.case-link', (as) => as.length)).toBe(0);

    // CSV export of workstation B's 2025 cases, fetched with the token and saved as a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    expect(download.suggestedFilename()).toBe('cases_2025-01-01_2025-12-31.csv');
    const csv = readFileSync((await download.path()), 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(1 + 176);
    expect(lines.slice(1).every((l) => l.includes(`${wsB.code}-2025-`))).toBe(true);
    expect(csv).not.toContain('420102199001011234');

    // Back to the whole city for the screenshot.
    await page.selectOption('[data-testid=workstation-select]', '');
    await overviewReady(page);
    expect(await figure(page, 'successRate')).toBe('67.2%');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // English on request, same figures; the choice survives a reload.
    await page.click('[data-testid=lang-switch]');
    await overviewReady(page);
    expect(await page.textContent('[data-figure="successRate"] .figure-label')).toBe('Success rate');
    expect(await figure(page, 'successRate')).toBe('67.2%');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await overviewReady(page);
    expect(await page.textContent('h1')).toBe('Labor-dispute mediation · Dashboard');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a case from the pending list: masked parties, sessions, agreement, confirmation and the timeline', async () => {
    const { context, page, errors } = await open();
    await login(page, staffA);
    // Union staff of one workstation have no workstation to choose.
    expect(await page.isVisible('[data-testid=workstation-select]')).toBe(false);
    await page.click(`[data-testid=pending-list] a:text("${pendingCase.caseNumber}")`);
    await page.waitForSelector('#case-view[data-state=ready]');
    expect(page.url()).toBe(`${base}/dashboard#/cases/${pendingCase.id}`);
    const parties = await page.textContent('[data-testid=parties]');
    expect(parties).toContain('420***********1234');
    expect(parties).not.toContain('420102199001011234');
    expect(await page.textContent('.case-title [data-status]')).toBe('已申请确认');
    expect(await page.$$eval('[data-testid=sessions] tbody tr', (rows) => rows.length)).toBe(1);
    expect(await page.textContent('[data-testid=agreement]')).toContain('¥10,000.00');
    expect(await page.textContent('[data-testid=confirmation] [data-status]')).toBe('待裁定');
    expect(await page.$$eval('[data-testid=timeline] li', (items: any[]) => items.map((i) => i.dataset.event))).toEqual([
      'case_registered',
      'mediator_assigned',
      'session_scheduled',
      'session_held',
      'agreement_recorded',
      'confirmation_requested',
    ]);
    expect(await page.textContent('[data-testid=timeline] li[data-event=mediator_assigned]')).toContain(mediatorA1.displayName);
    // Union staff do not rule.
    expect(await page.$('[data-testid=ruling-form]')).toBeNull();
    await page.click('.back-link');
    await overviewReady(page);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a court clerk the confirmation queue first and records the clerk's ruling", async () => {
    const { context, page, errors } = await open();
    await login(page, clerkA);
    expect(await page.getAttribute('#sections > section:first-child', 'data-section')).toBe('pending');
    await page.click(`[data-testid=pending-list] a:text("${pendingCase.caseNumber}")`);
    await page.waitForSelector('#case-view[data-state=ready]');
    // The workstation's clerk sees the identity number whole.
    expect(await page.textContent('[data-testid=parties]')).toContain('420102199001011234');

    const form = '[data-testid=ruling-form]';
    await page.selectOption(`${form} select[name=decision]`, 'rejected');
    await page.fill(`${form} input[name=rulingNumber]`, '(2026)测民特88号');
    await page.click(`${form} button[type=submit]`);
    expect(await page.textContent(`${form} [role=alert]`)).toBe('驳回申请须填写理由');

    await page.selectOption(`${form} select[name=decision]`, 'confirmed');
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector('[data-testid=confirmation] [data-status=confirmed]');
    await page.waitForSelector('#case-view[data-state=ready]');
    expect(await page.textContent('.case-title [data-status]')).toBe('已司法确认');
    expect(await page.textContent('[data-testid=confirmation]')).toContain('(2026)测民特88号');
    expect(await page.$(form)).toBeNull();
    expect(await page.textContent('[data-testid=timeline] li:last-child')).toContain('司法确认：确认有效');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-case.png'), fullPage: true });

    const [row] = await t.db.query(`SELECT status, ruling_number, ruled_by FROM confirmations WHERE case_id = $1`, [pendingCase.id]);
    expect(row).toEqual({ status: 'confirmed', ruling_number: '(2026)测民特88号', ruled_by: clerkA.id });
    await page.click('.back-link');
    await overviewReady(page);
    expect(await page.$$eval('[data-testid=pending-list] tbody a.case-link', (as) => as.length)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a mediator only their own cases and figures, without the workstation filter or the mediator table", async () => {
    const { context, page, errors } = await open();
    await login(page, mediatorA1);
    expect(await page.isVisible('#workstation-filter')).toBe(false);
    expect(await page.$('[data-testid=mediator-table]')).toBeNull();
    await setPeriod(page, PERIOD.from, PERIOD.to);
    expect(await figure(page, 'concluded')).toBe('400');
    expect(await figure(page, 'successRate')).toBe('75.0%');
    expect(await figure(page, 'overdueOpen')).toBe('1');
    expect(await page.$$eval('[data-testid=overdue-list] tbody a.case-link', (as) => as.map((a) => a.textContent))).toEqual([`${wsA.code}-2026-900001`]);
    // Another mediator's case is not found for them.
    const [other] = await t.db.query(`SELECT id FROM cases WHERE case_number = $1`, [`${wsA.code}-2026-900002`]);
    await page.goto(`${base}/dashboard#/cases/${other.id}`);
    await page.waitForSelector('#case-view[data-state=error]');
    expect(await page.textContent('#case-view [role=status]')).toBe('案件不存在或无权查看');
    expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
    await context.close();
  });

  it('serves the page and its scripts (Chart.js from node_modules) without a token, compressed and cacheable', async () => {
    const page = await t.http.get('/dashboard').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const chartSrc = /src="(\/dashboard\/assets\/chart\.umd\.min\.js\?v=\w+)"/.exec(page.text)?.[1];
    expect(chartSrc).toBeDefined();
    const chart = await t.http.get(chartSrc!).set('Accept-Encoding', 'gzip').expect(200);
    expect(chart.headers['content-encoding']).toBe('gzip');
    expect(chart.text).toContain('Chart.js v4');
    await t.http.get('/dashboard/assets/app.js').set('If-None-Match', chart.headers.etag).expect(200);
    const again = await t.http.get('/dashboard/assets/app.js').expect(200);
    await t.http.get('/dashboard/assets/app.js').set('If-None-Match', again.headers.etag).expect(304);
    await t.http.get('/dashboard/assets/../../package.json').expect(404);
    await t.http.get('/dashboard/assets/secrets.env').expect(404);
    await t.http.get('/api/v1/dashboard').expect(404);
  });
});
