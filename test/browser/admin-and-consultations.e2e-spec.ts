import { Role } from '../../src/accounts-core/role.enum';
import { makeUser, makeWorkstation, TestUser, TestWorkstation } from '../utils/factories';
import { choose, login, openPage, shot, startBrowserEnv, type BrowserEnv } from './support';

/**
 * Union staff and the admin through the page alone (the API only sets up users and workstations):
 * union staff log a hotline consultation and turn it into a case; the admin creates a service
 * account (its key shown once) and resets a user's password; that user must change it at the
 * next sign-in before anything else, and signs in with the new one afterwards.
 */
jest.setTimeout(120_000);

describe('workbench: consultations and administration in the browser', () => {
  let env: BrowserEnv;
  let ws: TestWorkstation;
  let staff: TestUser;
  let admin: TestUser;
  let mediator: TestUser;
  let temporaryPassword = '';
  const asker = `李咨询${Date.now() % 10000}`;
  const NEW_PASSWORD = 'river-lantern-4721';

  beforeAll(async () => {
    env = await startBrowserEnv();
    const { t } = env;
    ws = await makeWorkstation(t);
    [staff, admin, mediator] = await Promise.all([makeUser(t, Role.UnionStaff, ws.id), makeUser(t, Role.Admin, null), makeUser(t, Role.Mediator, ws.id)]);
  }, 240_000);

  afterAll(async () => {
    await env?.browser.close();
    await env?.t.close();
  });

  it('union staff log a hotline consultation and convert it into a case', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, staff);
    await page.click('[data-testid=nav-consultations]');
    await page.waitForSelector('[data-testid=consultation-form]');

    // Checked before sending: who asked and the question are required.
    await page.click('[data-testid=c-submit]');
    await page.waitForSelector('.el-form-item:has(#c-name) .el-form-item__error');

    await choose(page, 'c-channel', '热线');
    await page.fill('#c-name', asker);
    await page.fill('#c-phone', '13900000001');
    await page.fill('#c-employer', '某某物流有限公司');
    await page.fill('#c-question', '公司拖欠两个月工资，如何维权？');
    await page.fill('#c-advice', '告知可申请调解或劳动仲裁');
    await page.click('[data-testid=c-submit]');
    const row = page.locator('[data-testid=consultations] .el-table__body tr', { hasText: asker });
    await row.waitFor();
    // The form is blank again, with no complaints about the emptied fields.
    expect(await page.inputValue('#c-name')).toBe('');
    expect(await page.locator('[data-testid=consultation-form] .el-form-item.is-error').count()).toBe(0);
    expect(await row.textContent()).toContain('热线');
    expect(await row.textContent()).toContain('解答咨询');

    // The search finds it by the employer.
    await page.fill('#c-q', '物流');
    await page.click('[data-testid=c-search]');
    await row.waitFor();
    expect(await page.locator('[data-testid=consultations] .el-table__body tr').count()).toBe(1);
    await shot(page, 'staff-consultations');

    await row.locator('[data-testid=c-convert]').click();
    await page.waitForSelector('[data-testid=convert-form]');
    await page.fill('#convert-amount', '8000.5x');
    await page.click('[data-testid=convert-submit]');
    await page.waitForSelector('.el-form-item:has(#convert-amount) .el-form-item__error');
    await choose(page, 'convert-dispute-type', '拖欠劳动报酬');
    await page.fill('#convert-amount', '8000.50');
    await shot(page, 'staff-consultation-convert');
    await page.click('[data-testid=convert-submit]');
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    expect(await page.textContent('[data-testid=case-claim]')).toBe('¥8,000.50');
    expect(await page.getAttribute('[data-testid=case-status]', 'data-status')).toBe('registered');
    expect(await page.textContent('[data-testid=case-page]')).toContain(asker);
    expect(await page.textContent('[data-testid=case-number]')).toMatch(new RegExp(`^${ws.code}-\\d{4}-\\d{6}$`));
    await shot(page, 'staff-consultation-case');

    // Back in the log: converted, with a link to the case instead of the button.
    await page.click('[data-testid=nav-consultations]');
    await row.waitFor();
    expect(await row.textContent()).toContain('转为调解案件');
    expect(await row.locator('[data-testid=c-convert]').count()).toBe(0);

    // Union staff keep their workstation's mediator roster.
    expect(await page.textContent('[data-testid=nav-admin]')).toBe('调解员名册');
    await page.click('[data-testid=nav-admin]');
    const mediatorRow = page.locator('[data-testid=admin-mediators] .el-table__body tr', { hasText: mediator.displayName });
    await mediatorRow.locator('button').click();
    await page.fill('#m-qual', '劳动关系协调师（二级）');
    await page.locator('[data-testid=mediator-form] button[type=submit]').click();
    await mediatorRow.filter({ hasText: '劳动关系协调师（二级）' }).waitFor();
    await shot(page, 'staff-mediator-roster');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the admin creates a service account (the key shown once) and resets a user\'s password', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, admin);
    await page.click('[data-testid=nav-admin]');
    await page.click('#tab-serviceAccounts');
    await page.waitForSelector('[data-testid=service-account-form]');
    await page.fill('#sa-name', '测试区人民法院审判系统');
    await choose(page, 'sa-workstations', ws.name);
    await page.keyboard.press('Escape');
    await page.click('[data-testid=sa-submit]');
    await page.waitForSelector('[data-testid=api-key]');
    const apiKey = (await page.textContent('[data-testid=api-key]'))!.trim();
    expect(apiKey).toMatch(/^mtk_/);
    await page.locator('[data-testid=admin-service-accounts] .el-table__body tr', { hasText: '测试区人民法院审判系统' }).waitFor();
    await shot(page, 'admin-service-account-key');
    // The key works against the API, as the court's system would use it.
    const res = await fetch(`${env.base}/api/v1/cases`, { headers: { Authorization: `Bearer ${apiKey}` } });
    expect(res.status).toBe(200);
    // Shown once: after a reload only the account is listed, not its key.
    await page.reload();
    await page.click('#tab-serviceAccounts');
    await page.locator('[data-testid=admin-service-accounts] .el-table__body tr', { hasText: '测试区人民法院审判系统' }).waitFor();
    expect(await page.locator('[data-testid=api-key]').count()).toBe(0);
    expect(await page.textContent('[data-testid=admin-service-accounts]')).not.toContain(apiKey);

    await page.click('#tab-users');
    await page.click(`[data-testid=reset-password-${mediator.username}]`);
    await page.waitForSelector('[data-testid=temporary-password-value]');
    temporaryPassword = (await page.textContent('[data-testid=temporary-password-value]'))!.trim();
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(8);
    await shot(page, 'admin-password-reset');

    // The other tabs open and show their data: the roster, the audit log (the reset is in it), webhooks, holidays.
    await page.click('#tab-mediators');
    await page.locator('[data-testid=admin-mediators] .el-table__body tr', { hasText: mediator.displayName }).waitFor();
    await page.click('#tab-audit');
    await page.locator('[data-testid=admin-audit] .el-table__body tr', { hasText: '重置密码' }).first().waitFor();
    await shot(page, 'admin-audit');
    await page.click('#tab-webhooks');
    await page.waitForSelector('[data-testid=admin-webhooks]');
    await page.click('#tab-holidays');
    await page.waitForSelector('[data-testid=admin-holidays]');
    await shot(page, 'admin-holidays');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the user signs in with the temporary password and must change it before anything else', async () => {
    const { page, context, errors } = await openPage(env);
    await page.goto(`${env.base}/cases`);
    await page.waitForSelector('#login-form');
    await page.fill('input[name=username]', mediator.username);
    await page.fill('input[name=password]', temporaryPassword);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=must-change-notice]');
    expect(page.url()).toContain('/password');
    // Nothing else is offered until then: no navigation, and another address comes back here.
    expect(await page.locator('[data-testid=nav-cases]').count()).toBe(0);
    await page.goto(`${env.base}/cases`);
    await page.waitForSelector('[data-testid=must-change-notice]');
    // Even when the page has forgotten the login's answer, the API's 403 PASSWORD_CHANGE_REQUIRED brings the form back.
    await page.evaluate(() => (globalThis as any).localStorage.removeItem('mt.mustChangePassword'));
    await page.goto(`${env.base}/cases`);
    await page.waitForURL(/\/password\?next=(%2F|\/)cases$/);
    await page.waitForSelector('[data-testid=must-change-notice]');
    await shot(page, 'user-must-change-password');

    await page.fill('#pw-current', temporaryPassword);
    await page.fill('#pw-new', NEW_PASSWORD);
    await page.fill('#pw-repeat', 'something-else-1');
    await page.click('[data-testid=password-submit]');
    await page.waitForSelector('.el-form-item:has(#pw-repeat) .el-form-item__error');
    await page.fill('#pw-repeat', NEW_PASSWORD);
    await page.click('[data-testid=password-submit]');
    await page.waitForURL(/\/cases$/);
    await page.waitForSelector('[data-testid=nav-cases]');
    await page.waitForSelector('[data-testid=case-list][data-state=ready]');

    // Signing out ends the session; the new password signs in, straight to the work.
    await page.click('[data-testid=logout]');
    await page.waitForSelector('#login-form');
    await page.fill('input[name=username]', mediator.username);
    await page.fill('input[name=password]', NEW_PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=queue][data-state=ready]');
    expect(await page.locator('[data-testid=must-change-notice]').count()).toBe(0);
    await shot(page, 'user-after-password-change');
    expect(errors).toEqual([]);
    await context.close();
  });
});
