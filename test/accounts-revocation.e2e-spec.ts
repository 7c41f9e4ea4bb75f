import { JwtService } from '@nestjs/jwt';
import { Role } from '../src/accounts-core/role.enum';
import { createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TEST_PASSWORD, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

const api = (p: string) => `/api/v1${p}`;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('accounts: revocation, password changes and resets, roster (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(() => t.close());

  const login = (username: string, password: string) => t.http.post(api('/auth/login')).send({ username, password });

  it('stops a deactivated user\'s token within 5 seconds, even when the row is changed behind the app', async () => {
    const team = await makeWorkstationTeam(t);
    await t.http.get(api('/cases')).set(bearer(team.staff)).expect(200);
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [team.staff.id]);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 6000) {
      status = (await t.http.get(api('/cases')).set(bearer(team.staff))).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('ends the tokens at once when an admin deactivates a user, changes a role or a workstation', async () => {
    const team = await makeWorkstationTeam(t);
    const other = await makeWorkstationTeam(t);
    await t.http.get(api('/auth/me')).set(bearer(team.clerk)).expect(200);
    const deactivated = await t.http.patch(api(`/users/${team.clerk.id}`)).set(bearer(admin)).send({ active: false }).expect(200);
    expect(deactivated.body).toMatchObject({ id: team.clerk.id, active: false });
    const refused = await t.http.get(api('/auth/me')).set(bearer(team.clerk)).expect(401);
    expect(refused.body.messageZh).toMatch(/登录/);
    await login(team.clerk.username, TEST_PASSWORD).expect(401);

    await t.http.get(api('/cases')).set(bearer(team.staff)).expect(200);
    await t.http.patch(api(`/users/${team.staff.id}`)).set(bearer(admin)).send({ workstationId: other.ws.id }).expect(200);
    await t.http.get(api('/cases')).set(bearer(team.staff)).expect(401);
    const relogged = await login(team.staff.username, TEST_PASSWORD).expect(200);
    expect(relogged.body.user.workstationId).toBe(other.ws.id);

    await t.http.patch(api(`/users/${other.clerk.id}`)).set(bearer(admin)).send({ role: 'union_staff' }).expect(200);
    await t.http.get(api('/auth/me')).set(bearer(other.clerk)).expect(401);

    // Changes that do not touch rights keep the token.
    await t.http.patch(api(`/users/${other.staff.id}`)).set(bearer(admin)).send({ displayName: '新名字', phone: '13900000000' }).expect(200);
    await t.http.get(api('/auth/me')).set(bearer(other.staff)).expect(200);

    // Reactivation lets the user log in again.
    await t.http.patch(api(`/users/${team.clerk.id}`)).set(bearer(admin)).send({ active: true }).expect(200);
    await login(team.clerk.username, TEST_PASSWORD).expect(200);
  });

  it('keeps the account rules on a change: no self-demotion, placement, open cases, only admins', async () => {
    const team = await makeWorkstationTeam(t);
    const other = await makeWorkstationTeam(t);
    await t.http.patch(api(`/users/${admin.id}`)).set(bearer(admin)).send({ active: false }).expect(409);
    await t.http.patch(api(`/users/${admin.id}`)).set(bearer(admin)).send({ role: 'mediator' }).expect(409);
    const noWs = await t.http.patch(api(`/users/${team.mediator.id}`)).set(bearer(admin)).send({ workstationId: null }).expect(400);
    expect(noWs.body.details.field).toBe('workstationId');
    await t.http.patch(api(`/users/${team.mediator.id}`)).set(bearer(admin)).send({ role: 'admin', workstationId: team.ws.id }).expect(400);
    await t.http.patch(api('/users/00000000-0000-4000-8000-000000000000')).set(bearer(admin)).send({ active: false }).expect(404);
    await t.http.patch(api(`/users/${team.mediator.id}`)).set(bearer(team.staff)).send({ active: false }).expect(403);
    await t.http.patch(api(`/users/${team.mediator.id}`)).set(bearer(admin)).send({ password: 'x' }).expect(400);

    const c = await createCase(t, team.staff, team.ws.id);
    await t.http.post(api(`/cases/${c.id}/assign`)).set(bearer(team.staff)).send({ mediatorId: team.mediator.id, expectedVersion: c.version }).expect(200);
    const moved = await t.http.patch(api(`/users/${team.mediator.id}`)).set(bearer(admin)).send({ workstationId: other.ws.id }).expect(409);
    expect(moved.body.messageZh).toMatch(/改派/);
  });

  it('lists users by role, workstation and active', async () => {
    const team = await makeWorkstationTeam(t);
    await t.http.patch(api(`/users/${team.mediator2.id}`)).set(bearer(admin)).send({ active: false }).expect(200);
    const inactive = await t.http.get(api(`/users?workstationId=${team.ws.id}&active=false`)).set(bearer(admin)).expect(200);
    expect(inactive.body.map((u: { id: string }) => u.id)).toEqual([team.mediator2.id]);
    const active = await t.http.get(api(`/users?workstationId=${team.ws.id}&role=mediator&active=true`)).set(bearer(admin)).expect(200);
    expect(active.body.map((u: { id: string }) => u.id)).toEqual([team.mediator.id]);
    await t.http.get(api('/users?active=maybe')).set(bearer(admin)).expect(400);
  });

  it('logs out: the token stops working', async () => {
    const team = await makeWorkstationTeam(t);
    const session = await login(team.mediator.username, TEST_PASSWORD).expect(200);
    await t.http.get(api('/auth/me')).set(auth(session.body.accessToken)).expect(200);
    await t.http.post(api('/auth/logout')).set(auth(session.body.accessToken)).expect(200, { loggedOut: true });
    await t.http.get(api('/auth/me')).set(auth(session.body.accessToken)).expect(401);
    await t.http.post(api('/auth/logout')).set(auth(session.body.accessToken)).expect(401);
  });

  it('lets users change their own password under the policy, ending their other tokens', async () => {
    const team = await makeWorkstationTeam(t);
    const user = team.mediator;
    const change = (newPassword: string, currentPassword = TEST_PASSWORD) => t.http.post(api('/auth/password')).set(bearer(user)).send({ currentPassword, newPassword });
    const refusals: Array<[string, RegExp]> = [
      ['12345678', /至少需要 10 个字符/],
      ['          ', /只包含空格/],
      [`${user.username}`.padEnd(12, '!'), /用户名/],
      ['1234567890', /过于常见/],
      ['qwertyuiop', /过于常见/],
    ];
    for (const [password, zh] of refusals) {
      const res = await change(password).expect(400);
      expect(res.body.details.field).toBe('newPassword');
      expect(res.body.messageZh).toMatch(zh);
    }
    const wrong = await change('a-good-new-passphrase', 'not-the-password').expect(400);
    expect(wrong.body.details.field).toBe('currentPassword');
    await t.http.get(api('/auth/me')).set(bearer(user)).expect(200);

    const changed = await change('a-good-new-passphrase').expect(200);
    expect(changed.body.accessToken).toMatch(/^ey/);
    await t.http.get(api('/auth/me')).set(bearer(user)).expect(401);
    await t.http.get(api('/auth/me')).set(auth(changed.body.accessToken)).expect(200);
    await login(user.username, TEST_PASSWORD).expect(401);
    await login(user.username, 'a-good-new-passphrase').expect(200);

    const weak = await t.http.post(api('/users')).set(bearer(admin)).send({ username: 'weak.one', password: 'password123', displayName: '弱', role: 'union_staff' }).expect(400);
    expect(weak.body.messageZh).toMatch(/常见/);
  });

  it('resets a password: a temporary one, shown once, that must be changed before anything else', async () => {
    const team = await makeWorkstationTeam(t);
    const user = team.staff;
    const reset = await t.http.post(api(`/users/${user.id}/password-reset`)).set(bearer(admin)).expect(200);
    const temporary: string = reset.body.temporaryPassword;
    expect(temporary).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
    await t.http.get(api('/auth/me')).set(bearer(user)).expect(401);
    await login(user.username, TEST_PASSWORD).expect(401);

    const session = await login(user.username, temporary).expect(200);
    expect(session.body.mustChangePassword).toBe(true);
    expect(session.body.user.mustChangePassword).toBe(true);
    const token = session.body.accessToken;
    const blocked = await t.http.get(api('/cases')).set(auth(token)).expect(403);
    expect(blocked.body).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', messageZh: '密码已被重置，请先修改密码' });
    await t.http.get(api('/auth/me')).set(auth(token)).expect(200);

    const changed = await t.http.post(api('/auth/password')).set(auth(token)).send({ currentPassword: temporary, newPassword: 'my-own-choice-2026' }).expect(200);
    expect(changed.body.mustChangePassword).toBeUndefined();
    await t.http.get(api('/cases')).set(auth(changed.body.accessToken)).expect(200);
    await t.http.get(api('/cases')).set(auth(token)).expect(401);
    await t.http.post(api(`/users/${user.id}/password-reset`)).set(bearer(team.clerk)).expect(403);
  });

  it('refuses tokens whose claims are not what login signs (401, never a 500)', async () => {
    const jwt = t.app.get(JwtService);
    const team = await makeWorkstationTeam(t);
    const good = { sub: team.staff.id, username: team.staff.username, role: 'union_staff', ws: team.ws.id, tv: 0 };
    const variants = [
      { ...good, sub: undefined },
      { ...good, sub: 'not-a-uuid' },
      { ...good, role: 'superuser' },
      { ...good, role: 'admin' },
      { ...good, ws: null },
      { ...good, tv: undefined },
      { ...good, tv: 1 },
      { ...good, sub: '00000000-0000-4000-8000-000000000000' },
    ];
    for (const claims of variants) {
      const token = jwt.sign(JSON.parse(JSON.stringify(claims)));
      const res = await t.http.get(api('/cases')).set(auth(token));
      expect([claims, res.status]).toEqual([claims, 401]);
    }
    await t.http.get(api('/cases')).set(auth(jwt.sign(good))).expect(200);
  });

  it('lets union staff keep the roster of their own workstation, and suggestions use the specialties', async () => {
    const team = await makeWorkstationTeam(t);
    const other = await makeWorkstationTeam(t);
    const roster = await t.http.get(api('/mediators')).set(bearer(team.staff)).expect(200);
    expect(roster.body.map((m: { id: string }) => m.id).sort()).toEqual([team.mediator.id, team.mediator2.id].sort());
    expect(roster.body[0]).toMatchObject({ specialties: [], invited: false, qualifications: null, organisation: null });
    expect((await t.http.get(api(`/mediators?workstationId=${other.ws.id}`)).set(bearer(team.staff)).expect(200)).body).toEqual([]);
    expect((await t.http.get(api(`/mediators?workstationId=${other.ws.id}`)).set(bearer(admin)).expect(200)).body).toHaveLength(2);
    await t.http.get(api('/mediators')).set(bearer(team.mediator)).expect(403);

    // mediator carries an open case, mediator2 none: without specialties mediator2 comes first.
    const busy = await createCase(t, team.staff, team.ws.id, { disputeType: 'work_injury' });
    await t.http.post(api(`/cases/${busy.id}/assign`)).set(bearer(team.staff)).send({ mediatorId: team.mediator.id, expectedVersion: busy.version }).expect(200);
    const c = await createCase(t, team.staff, team.ws.id, { disputeType: 'work_injury' });
    const before = await t.http.get(api(`/cases/${c.id}/mediator-suggestions`)).set(bearer(team.staff)).expect(200);
    expect(before.body[0].mediatorId).toBe(team.mediator2.id);

    const updated = await t.http
      .patch(api(`/mediators/${team.mediator.id}`))
      .set(bearer(team.staff))
      .send({ specialties: ['work_injury', 'social_insurance'], qualifications: '劳动关系协调师', invited: true, organisation: '某律师事务所' })
      .expect(200);
    expect(updated.body).toMatchObject({ id: team.mediator.id, specialties: ['work_injury', 'social_insurance'], invited: true, organisation: '某律师事务所' });
    const after = await t.http.get(api(`/cases/${c.id}/mediator-suggestions`)).set(bearer(team.staff)).expect(200);
    expect(after.body[0]).toMatchObject({ mediatorId: team.mediator.id, specialist: true, invited: true, openCases: 1 });

    await t.http.patch(api(`/mediators/${other.mediator.id}`)).set(bearer(team.staff)).send({ invited: true }).expect(404);
    await t.http.patch(api(`/mediators/${team.staff.id}`)).set(bearer(team.staff)).send({ invited: true }).expect(404);
    await t.http.patch(api(`/mediators/${team.mediator.id}`)).set(bearer(team.staff)).send({ specialties: ['astrology'] }).expect(400);
    await t.http.patch(api(`/mediators/${team.mediator.id}`)).set(bearer(team.mediator)).send({ invited: false }).expect(403);
  });
});
