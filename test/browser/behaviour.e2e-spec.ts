import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Role } from '../../src/accounts-core/role.enum';
import { caseInState } from '../utils/case-factory';
import { bearer, makeUser, makeWorkstation, TestUser, TestWorkstation } from '../utils/factories';
import { ARTIFACTS, choose, login, openPage, shot, startBrowserEnv, textContrasts, type BrowserEnv } from './support';

/**
 * How the page behaves: a stale form (409) explained with the typing kept, a 400 beside its field,
 * stored markup shown as text, the phone layout, Chinese and English, an expired session that
 * returns to its page, links that open in a new tab, the first page's size, and the served page's
 * headers and addresses.
 */
jest.setTimeout(120_000);

describe('workbench: how the page behaves', () => {
  let env: BrowserEnv;
  let ws: TestWorkstation;
  let staff: TestUser;
  let mediator: TestUser;
  let clerk: TestUser;
  let admin: TestUser;
  let assigned: { id: string; caseNumber: string };
  const XSS = '<img src=x onerror="window.__injected=1">有限公司';

  beforeAll(async () => {
    env = await startBrowserEnv();
    const { t } = env;
    ws = await makeWorkstation(t);
    [staff, mediator, clerk, admin] = await Promise.all([
      makeUser(t, Role.UnionStaff, ws.id),
      makeUser(t, Role.Mediator, ws.id),
      makeUser(t, Role.CourtClerk, ws.id),
      makeUser(t, Role.Admin, null),
    ]);
    assigned = await caseInState(t, { ws, staff, mediator, clerk }, 'assigned');
    // Markup typed into stored text must show as text.
    await t.db.query(`UPDATE cases SET respondent_name = $2, summary = $3 WHERE id = $1`, [assigned.id, XSS, `<script>window.__injected=2</script>摘要`]);
  }, 240_000);

  afterAll(async () => {
    await env?.browser.close();
    await env?.t.close();
  });

  it('serves the page at / with a strict CSP, page paths fall back to it, /dashboard leads there, the API and docs stay', async () => {
    const { t } = env;
    const root = await t.http.get('/').expect(200);
    expect(root.headers['content-type']).toContain('text/html');
    expect(root.headers['content-security-policy']).toContain("script-src 'self'");
    expect(root.headers['content-security-policy']).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(root.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    expect((await t.http.get(`/cases/${assigned.id}`).expect(200)).text).toBe(root.text);
    expect((await t.http.get('/dashboard').expect(301)).headers.location).toBe('/');
    expect((await t.http.get('/dashboard/cases/123').expect(301)).headers.location).toBe('/');
    await t.http.get('/api/v1/cases').expect(401);
    await t.http.get('/api/v1/no-such-thing').set(bearer(staff)).expect(404);
    await t.http.get('/docs-json').expect(200);
    await t.http.get('/health').expect(200);
    await t.http.get('/assets/no-such-file.js').expect(404);
  });

  it('shows a deadline as its last day everywhere: the case (deadlineDate) and the CSV export agree', async () => {
    const { t } = env;
    const c = (await t.http.get(`/api/v1/cases/${assigned.id}`).set(bearer(staff)).expect(200)).body;
    expect(c.deadlineDate).toBe(new Date(Date.parse(c.deadlineAt) - 1 + 8 * 3600_000).toISOString().slice(0, 10));
    const csv = (await t.http.get('/api/v1/cases/export.csv').set(bearer(staff)).expect(200)).text;
    const row = csv.split('\n').find((l) => l.includes(assigned.caseNumber))!;
    expect(row).toContain(c.deadlineDate);
    expect(row).not.toContain(new Date(Date.parse(c.deadlineAt) + 8 * 3600_000).toISOString().slice(0, 10));
  });

  it('keeps the first page small: the login page loads under 300 kB of gzipped JavaScript', async () => {
    const { page, context } = await openPage(env);
    const scripts: Array<{ url: string; gz: number }> = [];
    page.on('response', async (r) => {
      if (r.request().resourceType() === 'script') scripts.push({ url: r.url(), gz: gzipSync(await r.body()).length });
    });
    await page.goto(`${env.base}/login`);
    await page.waitForSelector('#login-form');
    await page.waitForLoadState('networkidle');
    const total = scripts.reduce((s, x) => s + x.gz, 0);
    writeFileSync(join(ARTIFACTS, 'first-page-js.json'), JSON.stringify({ gzippedBytes: total, scripts }, null, 2));
    expect(scripts.length).toBeGreaterThan(0);
    expect(total).toBeLessThan(300 * 1024);
    await context.close();
  });

  it('explains a 409 on a stale form, reloads the case and keeps what was typed', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, mediator, `/cases/${assigned.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    const before = Number(await page.getAttribute('[data-testid=case-page]', 'data-version'));
    await page.click('[data-testid=action-add_note]');
    await page.fill('#af-text', '与申请人电话沟通，核对工资数额');
    // Meanwhile union staff change the case: they book a session.
    const at = new Date(Date.now() + 2 * 86_400_000).toISOString();
    await env.t.http.post(`/api/v1/cases/${assigned.id}/sessions`).set(bearer(staff)).send({ scheduledAt: at, mode: 'onsite' }).expect(201);
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=conflict-notice]');
    expect(await page.textContent('[data-testid=conflict-notice]')).toContain('其他人修改了这个案件');
    expect(await page.inputValue('#af-text')).toBe('与申请人电话沟通，核对工资数额');
    await page.waitForFunction((v) => Number((globalThis as any).document.querySelector('[data-testid=case-page]')?.dataset.version) > v, before);
    await shot(page, 'conflict-409');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=timeline] li:has-text("核对工资数额")');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a 400 from the server beside its field, in Chinese, and changes nothing', async () => {
    const { page, context } = await openPage(env);
    await login(page, env.base, staff, '/cases/new');
    await page.waitForSelector('[data-testid=intake-form]');
    await choose(page, 'intake-source', '法院委托调解');
    await page.waitForSelector('[data-testid=court-fields]');
    await page.fill('#i-ccn', '(2026)测0102民初1号');
    // The court's deadline before the case was received: only the server knows the receipt time.
    await page.fill('#i-md', '2020-01-01');
    await page.fill('#i-summary', '经济补偿');
    await page.fill('#i-claim', '3000.5');
    await page.fill('#i-applicant-name', '李四');
    await page.fill('#i-respondent-name', '某公司');
    const [{ n: casesBefore }] = await env.t.db.query(`SELECT count(*)::int AS n FROM cases WHERE workstation_id = $1`, [ws.id]);
    await page.click('[data-testid=intake-submit]');
    await page.waitForSelector('.el-form-item:has(#i-md) .el-form-item__error');
    expect(await page.textContent('.el-form-item:has(#i-md) .el-form-item__error')).toMatch(/[\u4e00-\u9fa5]/);
    expect(await page.textContent('[data-testid=form-error]')).toContain('请按提示修改');
    const [{ n: casesAfter }] = await env.t.db.query(`SELECT count(*)::int AS n FROM cases WHERE workstation_id = $1`, [ws.id]);
    expect(casesAfter).toBe(casesBefore);
    await shot(page, 'intake-400');
    await context.close();
  });

  it('shows stored markup as text on the list and the case page', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, staff, `/cases/${assigned.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    expect(await page.textContent('[data-testid=case-respondent]')).toContain(XSS);
    expect(await page.textContent('[data-testid=case-summary]')).toContain('<script>');
    await page.goto(`${env.base}/cases?q=${encodeURIComponent('有限公司')}`);
    await page.waitForSelector(`[data-testid=case-list][data-state=ready] a:has-text("${assigned.caseNumber}")`);
    expect(await page.evaluate(() => (globalThis as any).window.__injected)).toBeUndefined();
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a case link in a new tab signed in, and an expired session returns to the same page after login', async () => {
    const { page, context } = await openPage(env);
    await login(page, env.base, staff, '/cases');
    await page.waitForSelector(`[data-testid=case-list][data-state=ready] a:has-text("${assigned.caseNumber}")`);
    const [tab] = await Promise.all([context.waitForEvent('page'), page.click(`a:has-text("${assigned.caseNumber}")`, { modifiers: ['Control'] })]);
    await tab.waitForSelector('[data-testid=case-page][data-state=ready]');
    expect(await tab.textContent('[data-testid=case-number]')).toBe(assigned.caseNumber);
    await tab.close();

    // The token stops working (expired or revoked): the next request asks to sign in, then returns here.
    await page.evaluate(() => (globalThis as any).localStorage.setItem('mt.token', 'expired.token.value'));
    await page.goto(`${env.base}/cases/${assigned.id}`);
    await page.waitForSelector('[data-testid=expired-notice]');
    expect(page.url()).toContain('/login?');
    await shot(page, 'expired-login');
    await page.fill('input[name=username]', staff.username);
    await page.fill('input[name=password]', 'test-password-1');
    await page.click('[data-testid=login-submit]');
    await page.waitForURL(`${env.base}/cases/${assigned.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    await context.close();
  });

  it('on a phone (390 px) lists become cards, forms stack, and nothing overflows', async () => {
    const { page, context, errors } = await openPage(env, { width: 390, height: 844 });
    await login(page, env.base, staff, '/cases');
    await page.waitForSelector('[data-testid=case-list][data-state=ready] [data-testid=case-card]');
    expect(await page.locator('[data-testid=case-list] .el-table').count()).toBe(0);
    const overflow = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(390);
    // Each card's status tag is readable: AA contrast (4.5:1), on one line, nothing cut off.
    const tags = await textContrasts(page, '[data-testid=case-card] [data-testid=case-status-tag]');
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) {
      expect(tag.text.length).toBeGreaterThan(0);
      expect(tag.ratio).toBeGreaterThanOrEqual(4.5);
      expect(tag.clipped).toBe(false);
      expect(tag.height).toBeLessThan(30);
    }
    await shot(page, 'phone-case-list');
    await page.goto(`${env.base}/cases/new`);
    await page.waitForSelector('[data-testid=intake-form]');
    const [a, b] = await Promise.all([page.locator('[data-testid=party-applicant]').boundingBox(), page.locator('[data-testid=party-respondent]').boundingBox()]);
    expect(b!.y).toBeGreaterThan(a!.y + a!.height - 1); // stacked, not side by side
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'phone-intake');
    await page.goto(`${env.base}/cases/${assigned.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    // A name is never broken one character per line: the applicant's name fits on one line.
    const nameBox = await page.locator('[data-testid=case-number]').boundingBox();
    expect(nameBox!.height).toBeLessThan(40);
    await shot(page, 'phone-case-page');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is in Chinese by default and switches to English (and back), with visible keyboard focus', async () => {
    const { page, context } = await openPage(env);
    await page.goto(`${env.base}/login`);
    await page.waitForSelector('#login-form');
    expect(await page.textContent('h1')).toBe('登录');
    await page.click('[data-testid=lang-switch]');
    expect(await page.textContent('h1')).toBe('Sign in');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.fill('input[name=username]', mediator.username);
    await page.fill('input[name=password]', 'test-password-1');
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=queue][data-state=ready]');
    expect(await page.textContent('h1')).toBe('My work');
    await page.goto(`${env.base}/cases/${assigned.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    expect(await page.textContent('[data-testid=case-status]')).toBe('Mediator assigned'); // the English label of the one labels module (GET /api/v1/labels)
    expect(await page.textContent('[data-testid=case-actions]')).toContain('Log progress');
    // Keyboard: Tab reaches the skip link first, and focus is drawn.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const el = (globalThis as any).document.activeElement;
      return { text: el.textContent, outline: (globalThis as any).getComputedStyle(el).outlineStyle };
    });
    expect(outline.text).toBe('Skip to main content');
    expect(outline.outline).toBe('solid');
    await shot(page, 'english-case-page');
    await page.click('[data-testid=lang-switch]');
    expect(await page.textContent('[data-testid=case-status]')).toBe('已指派调解员'); // the statute's term from the labels module
    await context.close();
  });

  it('lets the admin create a workstation and a user, checking the input first', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, admin);
    await page.click('[data-testid=nav-admin]');
    await page.waitForSelector('[data-testid=admin-workstations]');
    await page.fill('#ws-code', 'bad code');
    await page.fill('#ws-name', '测试新区劳动争议诉调对接工作室');
    await page.fill('#ws-court', '测试新区人民法院');
    await page.fill('#ws-union', '测试新区总工会');
    await page.fill('#ws-region', '测试省测试市新区');
    await page.click('button:has-text("保存")');
    await page.waitForSelector('.el-form-item:has(#ws-code) .el-form-item__error');
    await page.fill('#ws-code', 'XQ-01');
    await page.click('button:has-text("保存")');
    await page.waitForSelector('[data-testid=admin-workstations] td:has-text("XQ-01")');
    await page.click('.el-tabs__item:has-text("用户")');
    await page.fill('#u-username', 'xq.mediator');
    await page.fill('#u-password', 'short');
    await page.fill('#u-name', '新区调解员');
    await page.locator('button:has-text("保存"):visible').click();
    await page.waitForSelector('.el-form-item:has(#u-password) .el-form-item__error');
    await page.fill('#u-password', 'a-long-enough-password-1');
    await choose(page, 'user-workstation', '测试新区劳动争议诉调对接工作室');
    await page.locator('button:has-text("保存"):visible').click();
    await page.waitForSelector('[data-testid=admin-users] td:has-text("xq.mediator")');
    await shot(page, 'admin-users');
    expect(errors).toEqual([]);
    await context.close();
  });
});
