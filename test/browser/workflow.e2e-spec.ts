import { Role } from '../../src/accounts-core/role.enum';
import { makeUser, makeWorkstation, TestUser, TestWorkstation } from '../utils/factories';
import { addDaysTo, login, openPage, shanghaiToday, shanghaiWallTime, shot, startBrowserEnv, type BrowserEnv } from './support';

/**
 * Every role's workflow through the page alone, from login (the API is used only to set up
 * users and workstations): union staff take in a walk-in case and assign it; the mediator finds
 * it in the queue, logs a call, schedules and holds a session, records an agreement with two
 * installments, records a payment and requests confirmation; the clerk rules; the city officer
 * sees the workstations side by side with the case counted; the mediator's notification is read.
 */
jest.setTimeout(120_000);

/** The document buttons the case page offers, in order. */
const documentButtons = (page: import('playwright-core').Page) => page.locator('[data-testid^=doc-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));

describe('workbench: each role in the browser', () => {
  let env: BrowserEnv;
  let wsA: TestWorkstation;
  let wsB: TestWorkstation;
  let staff: TestUser;
  let mediator: TestUser;
  let clerk: TestUser;
  let cityOfficer: TestUser;
  let caseNumber = '';
  const applicantName = `王小明${Date.now() % 10000}`;

  beforeAll(async () => {
    env = await startBrowserEnv();
    const { t } = env;
    [wsA, wsB] = await Promise.all([makeWorkstation(t), makeWorkstation(t)]);
    [staff, mediator, clerk, cityOfficer] = await Promise.all([
      makeUser(t, Role.UnionStaff, wsA.id),
      makeUser(t, Role.Mediator, wsA.id),
      makeUser(t, Role.CourtClerk, wsA.id),
      makeUser(t, Role.UnionStaff, null),
    ]);
    // A second mediator with more open work, so that the suggestions rank ours first.
    await makeUser(t, Role.Mediator, wsA.id);
  }, 240_000);

  afterAll(async () => {
    await env?.browser.close();
    await env?.t.close();
  });

  it('union staff take in a walk-in case and assign it (suggestions shown)', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, staff);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.waitForSelector('[data-testid=queue][data-state=ready]');
    await shot(page, 'staff-queue');

    await page.click('[data-testid=nav-intake]');
    await page.waitForSelector('[data-testid=intake-form]');
    // Court fields appear only for court sources; a walk-in case is the default.
    expect(await page.isVisible('[data-testid=court-fields]')).toBe(false);
    await page.fill('#i-summary', '拖欠三个月工资，要求支付');
    // Inline check before sending: an amount with a thousands separator is not an amount.
    await page.fill('#i-claim', '12,500');
    await page.fill('#i-applicant-name', applicantName);
    await page.fill('#i-applicant-id', '420102199001011234');
    await page.fill('#i-applicant-phone', '13800000000');
    await page.fill('#i-respondent-name', '某某建筑工程有限公司');
    await page.click('[data-testid=intake-submit]');
    await page.waitForSelector('.el-form-item:has(#i-claim) .el-form-item__error');
    expect(await page.textContent('.el-form-item:has(#i-claim) .el-form-item__error')).toContain('请输入金额');
    await page.fill('#i-claim', '12500');
    await page.click('[data-testid=intake-submit]');
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    caseNumber = (await page.textContent('[data-testid=case-number]'))!.trim();
    expect(caseNumber).toMatch(new RegExp(`^${wsA.code}-\\d{4}-\\d{6}$`));
    expect(await page.textContent('[data-testid=case-claim]')).toBe('¥12,500.00');
    // A walk-in case has 15 days: the deadline shown is day N (today + 15), never N+1.
    expect(await page.textContent('[data-testid=case-deadline]')).toBe(addDaysTo(shanghaiToday(), 15));
    expect(await page.getAttribute('[data-testid=case-status]', 'data-status')).toBe('registered');
    // Who acted is named on the timeline; a registered case has only its registration form to print.
    expect(await page.textContent('[data-testid=timeline] li[data-type=case_registered] [data-testid=event-actor]')).toBe(staff.displayName);
    expect(await documentButtons(page)).toEqual(['doc-registration']);

    await page.click('[data-testid=action-assign]');
    await page.waitForSelector('[data-testid=suggestions] .el-radio');
    await shot(page, 'staff-assign-suggestions');
    await page.locator('[data-testid=suggestions] .el-radio', { hasText: mediator.displayName }).click();
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=case-status][data-status=assigned]');
    expect(await page.textContent('[data-testid=case-mediator]')).toBe(mediator.displayName);
    // The list finds it by the applicant's name.
    await page.click('[data-testid=nav-cases]');
    await page.fill('#f-q', applicantName);
    await page.click('[data-testid=search]');
    await page.waitForSelector(`[data-testid=case-list][data-state=ready] a:has-text("${caseNumber}")`);
    expect(await page.textContent('[data-testid=case-total]')).toContain('1');
    await shot(page, 'staff-case-list');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the mediator sees the notification, finds the case in the queue and works it to a confirmation request', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, mediator);
    await page.waitForSelector('[data-testid=queue][data-state=ready]');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid=unread-count]')?.textContent === '1');
    await shot(page, 'mediator-queue');
    await page.click(`[data-testid=queue-mine] a:has-text("${caseNumber}")`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');

    // A phone call logged as progress.
    await page.click('[data-testid=action-add_note]');
    await page.fill('#af-text', '电话联系用人单位人事负责人，约定面谈');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=timeline] li[data-type=note_added]');
    expect(await page.textContent('[data-testid=timeline] li[data-type=note_added] [data-testid=event-actor]')).toBe(mediator.displayName);

    // A session half an hour from now; then the clock passes it and it is recorded as held.
    await page.click('[data-testid=action-schedule_session]');
    await page.fill('#af-scheduledAt', shanghaiWallTime(30));
    await page.fill('#af-location', '区总工会三楼调解室');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=session-scheduled]');
    // Before its time (by the server's clock) a session can be moved or cancelled, not recorded as held or a no-show.
    await page.waitForSelector('[data-testid=session-scheduled] [data-testid=session-outcome-later]');
    expect(await page.locator('[data-testid=session-scheduled] [data-testid=session-move]').count()).toBe(1);
    expect(await page.locator('[data-testid=session-held], [data-testid=session-no-show]').count()).toBe(0);
    await shot(page, 'mediator-session-before-its-time');
    // The server's clock passes the session's time (the device's clock does not move): the page learns it from the server's next answer.
    env.t.clock.advance(40 * 60_000);
    await page.reload();
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    expect(await page.locator('[data-testid=session-scheduled] [data-testid=session-outcome-later]').count()).toBe(0);
    expect(await page.locator('[data-testid=session-scheduled] [data-testid=session-no-show]').count()).toBe(1);
    await page.click('[data-testid=session-held]');
    await page.fill('#af-notes', '双方到场，就分期支付达成一致');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=session-held]');
    await page.waitForSelector('[data-testid=case-status][data-status=in_mediation]');

    // The agreement with two installments; a sum that does not match is stopped before sending.
    await page.click('[data-testid=action-record_agreement]');
    await page.fill('#af-terms', '被申请人分两期支付拖欠工资共计人民币壹万贰仟伍佰元');
    await page.fill('#af-agreedAmount', '12500');
    await page.click('[data-testid=add-installment]');
    await page.click('[data-testid=add-installment]');
    await page.fill('#inst-due-0', addDaysTo(shanghaiToday(), 10));
    await page.fill('#inst-amt-0', '5000');
    await page.fill('#inst-due-1', addDaysTo(shanghaiToday(), 40));
    await page.fill('#inst-amt-1', '7000');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=installments] >> xpath=ancestor::div[contains(@class,"el-form-item")][1]//div[contains(@class,"el-form-item__error")]');
    expect(await page.textContent('[data-testid=action-form-record_agreement]')).toContain('不一致');
    await shot(page, 'mediator-agreement-sum-check');
    await page.fill('#inst-amt-1', '7500.00');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=case-status][data-status=agreement_reached]');
    expect(await page.textContent('[data-testid=agreed-amount]')).toBe('¥12,500.00');
    expect(await page.locator('[data-testid=installment-list] .card').count()).toBe(2);
    // With an agreement of a walk-in case: the agreement and the confirmation application; no failure notice.
    expect(await documentButtons(page)).toEqual(['doc-registration', 'doc-agreement', 'doc-confirmation-application']);

    await page.click('[data-testid=pay-1]');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=installment-1][data-status=paid]');
    expect(await page.getAttribute('[data-testid=installment-2]', 'data-status')).toBe('due');

    await page.click('[data-testid=action-request_confirmation]');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('[data-testid=case-status][data-status=confirmation_requested]');
    await shot(page, 'mediator-case-page');

    // The notification of the assignment: opened and read.
    await page.click('[data-testid=nav-notifications]');
    await page.waitForSelector('[data-testid=notifications][data-state=ready] [data-testid=notification-unread]');
    expect(await page.textContent('[data-testid=notifications]')).toContain(caseNumber);
    await page.click('[data-testid=mark-read]');
    await page.waitForSelector('[data-testid=notification-read]');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid=unread-count]')?.textContent === '0');
    await shot(page, 'mediator-notifications');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the clerk finds the request in the queue and rules on it, with a confirmation step', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, clerk);
    await page.waitForSelector('[data-testid=queue][data-state=ready]');
    await shot(page, 'clerk-queue');
    await page.click(`[data-testid=queue-toAccept] a:has-text("${caseNumber}")`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    const accept = page.locator('[data-testid=action-accept_confirmation]');
    if (await accept.count()) {
      await accept.click();
      await page.fill('#af-acceptanceNumber', '(2026)测民特1号');
      await page.click('[data-testid=action-submit]');
      await page.waitForSelector('[data-testid=action-ruling]');
    }
    await page.click('[data-testid=action-ruling]');
    // A rejection needs a reason: checked before sending.
    await page.locator('[data-testid=field-decision] .el-radio', { hasText: '不予确认' }).click();
    await page.fill('#af-rulingNumber', '(2026)测民特88号');
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('.el-form-item:has(#af-reason) .el-form-item__error');
    await page.locator('[data-testid=field-decision] .el-radio', { hasText: '确认有效' }).click();
    await page.click('[data-testid=action-submit]');
    await page.waitForSelector('.el-message-box');
    await shot(page, 'clerk-ruling-confirm');
    await page.locator('.el-message-box .el-button--primary').click();
    await page.waitForSelector('[data-testid=case-status][data-status=confirmed]');
    expect(await page.textContent('[data-testid=confirmation]')).toContain('(2026)测民特88号');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the city officer sees the workstations side by side with the new case counted, and the mediators with their workstation', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, cityOfficer);
    await page.click('[data-testid=nav-stats]');
    await page.waitForSelector('[data-testid=stats][data-state=ready] [data-testid=stats-workstations]');
    const rows = page.locator('[data-testid=stats-workstations] .el-table__body tr');
    const texts = await rows.allTextContents();
    const rowA = texts.find((r) => r.includes(wsA.name));
    expect(rowA).toBeDefined();
    expect(texts.some((r) => r.includes(wsB.name))).toBe(true);
    const [{ n }] = await env.t.db.query(`SELECT count(*)::int AS n FROM cases WHERE workstation_id = $1`, [wsA.id]);
    expect(n).toBeGreaterThanOrEqual(1);
    const cells = await page.locator('[data-testid=stats-workstations] .el-table__body tr', { hasText: wsA.name }).locator('td').allTextContents();
    expect(cells[1].trim()).toBe(String(n)); // received
    const mediatorRow = await page.locator('[data-testid=stats-mediators] .el-table__body tr', { hasText: mediator.displayName }).locator('td').allTextContents();
    expect(mediatorRow[1]).toContain(wsA.name);
    // Each chart's legend has its own band: no legend entry lies over an axis label or over the plot.
    for (const chart of await page.locator('[data-testid=stats] [data-testid=chart]').all()) {
      const texts = await chart.locator('svg text').evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { text: (e.textContent ?? '').trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
      );
      const legendNames = ((await chart.getAttribute('data-series')) ?? '').split('|');
      const legend = texts.filter((x) => legendNames.includes(x.text));
      const axis = texts.filter((x) => !legendNames.includes(x.text));
      expect(legend.length).toBeGreaterThan(0);
      expect(axis.length).toBeGreaterThan(0);
      for (const l of legend) for (const a of axis) expect(l.bottom <= a.top || a.bottom <= l.top || l.right <= a.left || a.right <= l.left).toBe(true);
      expect(Math.max(...legend.map((l) => l.bottom))).toBeLessThanOrEqual(Math.min(...axis.map((a) => a.top)));
    }
    await shot(page, 'city-stats');
    expect(errors).toEqual([]);
    await context.close();
  });
});
