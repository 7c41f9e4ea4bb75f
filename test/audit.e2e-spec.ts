import { Role } from '../src/accounts-core/role.enum';
import { AuditService } from '../src/audit/audit.service';
import { createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TEST_PASSWORD, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

const api = (p: string) => `/api/v1${p}`;

describe('audit log (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(() => t.close());

  const audit = async (query: string) => (await t.http.get(api(`/audit?${query}`)).set(bearer(admin)).expect(200)).body;

  it('records every answer that shows a whole identity number, and only those', async () => {
    const team = await makeWorkstationTeam(t);
    const c = await createCase(t, team.staff, team.ws.id);
    const masked = await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.staff)).expect(200);
    expect(masked.body.applicant.idNumber).toBe('420***********1234');
    expect((await audit(`caseId=${c.id}&action=case.identity_viewed`)).items).toEqual([]);

    const whole = await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.clerk)).expect(200);
    expect(whole.body.applicant.idNumber).toBe('420102199001011234');
    await t.http.get(api(`/cases/${c.id}`)).set(bearer(admin)).expect(200);
    const list = await t.http.get(api(`/cases?workstationId=${team.ws.id}`)).set(bearer(team.clerk)).expect(200);
    expect(list.body.items[0].applicant.idNumber).toBe('420***********1234');

    const views = await audit(`caseId=${c.id}&action=case.identity_viewed`);
    expect(views.total).toBe(2);
    expect(views.items.map((e: { actorId: string }) => e.actorId).sort()).toEqual([team.clerk.id, admin.id].sort());
    expect(views.items.find((e: { actorId: string }) => e.actorId === team.clerk.id)).toMatchObject({ actorName: team.clerk.displayName, caseId: c.id, at: expect.any(String) });
  });

  it('does not send an answer showing a whole identity number when its record cannot be written', async () => {
    const team = await makeWorkstationTeam(t);
    const c = await createCase(t, team.staff, team.ws.id);
    const recordGrouped = jest.spyOn(t.app.get(AuditService), 'recordGrouped').mockRejectedValueOnce(new Error('audit table unavailable'));
    try {
      const res = await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.clerk)).expect(500);
      expect(res.body).toMatchObject({ statusCode: 500, error: 'Internal Server Error', messageZh: expect.any(String) });
      expect(res.text).not.toContain('420102199001011234');
      expect(recordGrouped).toHaveBeenCalledTimes(1);
    } finally {
      recordGrouped.mockRestore();
    }
    // Masked answers need no record: sent as before.
    await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.staff)).expect(200);
  });

  it('records the statistics report exports when they start', async () => {
    const team = await makeWorkstationTeam(t);
    await t.http.get(api('/stats/report.xlsx?from=2025-01-01&to=2025-12-31')).set(bearer(team.staff)).expect(200);
    const exports = await audit(`actorId=${team.staff.id}&action=stats.exported`);
    expect(exports.items).toEqual([expect.objectContaining({ details: { path: '/api/v1/stats/report.xlsx', filters: { from: '2025-01-01', to: '2025-12-31' } } })]);
  });

  it('records corrections and voids in their own transaction, and every attachment download', async () => {
    const team = await makeWorkstationTeam(t);
    const c = await createCase(t, team.staff, team.ws.id);
    await t.http.patch(api(`/cases/${c.id}`)).set(bearer(team.staff)).send({ applicant: { name: '张三丰' } }).expect(200);
    // A correction refused (nothing changed) leaves no audit entry behind.
    await t.http.patch(api(`/cases/${c.id}`)).set(bearer(team.staff)).send({ applicant: { name: '张三丰' } }).expect(400);
    const corrected = await audit(`caseId=${c.id}&action=case.corrected`);
    expect(corrected.total).toBe(1);
    expect(corrected.items[0]).toMatchObject({ actorId: team.staff.id, details: { after: { applicantName: '张三丰' } } });

    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
    const uploaded = await t.http.post(api(`/cases/${c.id}/attachments`)).set(bearer(team.staff)).field('kind', 'identity').attach('file', png, { filename: '身份证.png', contentType: 'image/png' }).expect(201);
    await t.http.get(api(`/attachments/${uploaded.body.id}`)).set(bearer(team.clerk)).expect(200);
    const downloads = await audit(`caseId=${c.id}&action=attachment.downloaded`);
    expect(downloads.items).toEqual([expect.objectContaining({ actorId: team.clerk.id, targetId: uploaded.body.id })]);

    await t.http.post(api(`/cases/${c.id}/void`)).set(bearer(team.staff)).send({ reason: '重复登记' }).expect(200);
    expect((await audit(`caseId=${c.id}&action=case.voided`)).items).toEqual([expect.objectContaining({ actorId: team.staff.id, details: expect.objectContaining({ reason: '重复登记' }) })]);
  });

  it('records logins (success and failure), exports and account changes, filtered by actor, action and time', async () => {
    const team = await makeWorkstationTeam(t);
    const since = new Date(Date.now() - 1000).toISOString();
    await t.http.post(api('/auth/login')).send({ username: team.staff.username, password: TEST_PASSWORD }).expect(200);
    await t.http.post(api('/auth/login')).send({ username: team.staff.username, password: 'wrong-password-1' }).expect(401);
    await t.http.post(api('/auth/login')).send({ username: 'no-such-user', password: 'wrong-password-1' }).expect(401);

    const logins = await audit(`actorId=${team.staff.id}&from=${encodeURIComponent(since)}`);
    expect(logins.items.map((e: { action: string }) => e.action).sort()).toEqual(['auth.login', 'auth.login_failed']);
    expect(logins.items[0].ip).toBeTruthy();
    const unknown = await audit(`action=auth.login_failed&from=${encodeURIComponent(since)}`);
    expect(unknown.items.some((e: { actorId: string | null; details: { username: string } }) => e.actorId === null && e.details.username === 'no-such-user')).toBe(true);
    expect(JSON.stringify(unknown)).not.toMatch(/wrong-password/);

    await createCase(t, team.staff, team.ws.id);
    const csv = await t.http.get(api(`/cases/export.csv?workstationId=${team.ws.id}&q=${encodeURIComponent('张')}`)).set(bearer(team.staff)).expect(200);
    expect(csv.text).not.toContain('420102199001011234');
    const exports = await audit(`actorId=${team.staff.id}&action=case.exported`);
    expect(exports.items).toHaveLength(1);
    expect(exports.items[0].details.filters).toMatchObject({ workstationId: team.ws.id, q: '[redacted]' });

    await t.http.patch(api(`/users/${team.mediator.id}`)).set(bearer(admin)).send({ displayName: '改名调解员', active: false }).expect(200);
    await t.http.post(api(`/users/${team.mediator2.id}/password-reset`)).set(bearer(admin)).expect(200);
    const changes = await audit(`actorId=${admin.id}&from=${encodeURIComponent(since)}`);
    const update = changes.items.find((e: { action: string }) => e.action === 'user.updated');
    expect(update).toMatchObject({ targetId: team.mediator.id, details: { before: { displayName: team.mediator.displayName, active: true }, after: { displayName: '改名调解员', active: false }, tokensRevoked: true } });
    expect(changes.items.find((e: { action: string }) => e.action === 'user.password_reset')).toMatchObject({ targetId: team.mediator2.id });
    expect(JSON.stringify(changes)).not.toMatch(/temporaryPassword|password_hash/);

    const future = await audit(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(future).toMatchObject({ items: [], total: 0, page: 1, pageSize: 50 });
  });

  it('is for admins only, and checks its filters', async () => {
    const team = await makeWorkstationTeam(t);
    for (const user of [team.staff, team.clerk, team.mediator]) await t.http.get(api('/audit')).set(bearer(user)).expect(403);
    await t.http.get(api('/audit?action=whatever')).set(bearer(admin)).expect(400);
    await t.http.get(api('/audit?actorId=nope')).set(bearer(admin)).expect(400);
    await t.http.get(api('/audit?pageSize=1000')).set(bearer(admin)).expect(400);
  });
});
