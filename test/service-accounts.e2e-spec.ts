import { Role } from '../src/accounts-core/role.enum';
import { caseBody, createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { API_KEY_PATTERN } from '../src/accounts-core/account-state.service';

const api = (p: string) => `/api/v1${p}`;
const key = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}` });

describe('service accounts (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(() => t.close());

  it('gives a court system an API key, shown once and stored hashed, with a clerk\'s rights for its workstations, under its own name', async () => {
    const a = await makeWorkstationTeam(t);
    const b = await makeWorkstationTeam(t);
    const other = await makeWorkstationTeam(t);
    const created = await t.http
      .post(api('/service-accounts'))
      .set(bearer(admin))
      .send({ name: '江岸区人民法院审判系统', role: 'court_clerk', workstationIds: [a.ws.id, b.ws.id] })
      .expect(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: '江岸区人民法院审判系统', role: 'court_clerk', workstationIds: [a.ws.id, b.ws.id], active: true, revokedAt: null });
    const apiKey: string = created.body.apiKey;
    expect(apiKey).toMatch(/^mtk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.startsWith(created.body.keyId)).toBe(true);

    const listed = await t.http.get(api('/service-accounts')).set(bearer(admin)).expect(200);
    expect(listed.body.find((s: { id: string }) => s.id === created.body.id)).toMatchObject({ name: '江岸区人民法院审判系统', active: true });
    // The secret, as the app parses a key (it may itself hold '_').
    const secret = API_KEY_PATTERN.exec(apiKey)![2];
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const [stored] = await t.db.query(`SELECT encode(key_hash, 'hex') AS h FROM service_accounts WHERE user_id = $1`, [created.body.id]);
    expect(stored.h).toHaveLength(64);
    expect(JSON.stringify(await t.db.query(`SELECT * FROM service_accounts`))).not.toContain(secret);

    // Intake of a court case for its first and its second workstation, under its name in the timeline.
    const intake = await t.http.post(api('/cases')).set(key(apiKey)).send(caseBody(b.ws.id, { source: 'court_assigned', courtCaseNumber: '(2026)鄂0102民初1号' })).expect(201);
    const events = await t.http.get(api(`/cases/${intake.body.id}/events`)).set(bearer(b.staff)).expect(200);
    expect(events.body[0]).toMatchObject({ actorId: created.body.id, actorName: '江岸区人民法院审判系统' });
    // The timeline's actor is the service account's own user row, named as it was created.
    const [actor] = await t.db.query(`SELECT display_name, kind FROM users WHERE id = $1`, [events.body[0].actorId]);
    expect(actor).toEqual({ display_name: '江岸区人民法院审判系统', kind: 'service' });
    await t.http.post(api('/cases')).set(key(apiKey)).send(caseBody(other.ws.id)).expect(403);

    // A clerk's view: whole identity numbers of its workstations' cases, recorded under its name.
    const caseOfA = await createCase(t, a.staff, a.ws.id);
    const seen = await t.http.get(api(`/cases/${caseOfA.id}`)).set(key(apiKey)).expect(200);
    expect(seen.body.applicant.idNumber).toBe('420102199001011234');
    const audit = await t.http.get(api(`/audit?actorId=${created.body.id}&action=case.identity_viewed`)).set(bearer(admin)).expect(200);
    expect(audit.body.items[0]).toMatchObject({ actorName: '江岸区人民法院审判系统', caseId: caseOfA.id });
    const caseOfOther = await createCase(t, other.staff, other.ws.id);
    await t.http.get(api(`/cases/${caseOfOther.id}`)).set(key(apiKey)).expect(404);
    // Not an admin, and no password login.
    await t.http.get(api('/service-accounts')).set(key(apiKey)).expect(403);
    await t.http.post(api('/auth/login')).send({ username: created.body.username, password: '!service-account:' }).expect(401);

    // Revoked: the key stops at once; repeating the revocation is harmless.
    const revoked = await t.http.delete(api(`/service-accounts/${created.body.id}`)).set(bearer(admin)).expect(200);
    expect(revoked.body).toMatchObject({ active: false, revokedAt: expect.any(String) });
    const refused = await t.http.get(api(`/cases/${caseOfA.id}`)).set(key(apiKey)).expect(401);
    expect(refused.body.messageZh).toMatch(/API 密钥/);
    await t.http.delete(api(`/service-accounts/${created.body.id}`)).set(bearer(admin)).expect(200);
    const log = await t.http.get(api(`/audit?action=service_account.revoked`)).set(bearer(admin)).expect(200);
    expect(log.body.items.filter((e: { targetId: string }) => e.targetId === created.body.id)).toHaveLength(1);
  });

  it('refuses wrong keys, bad bodies and non-admins', async () => {
    const a = await makeWorkstationTeam(t);
    const created = await t.http.post(api('/service-accounts')).set(bearer(admin)).send({ name: '市总工会系统', role: 'union_staff', workstationIds: [a.ws.id] }).expect(201);
    await t.http.get(api('/cases')).set(key(created.body.apiKey)).expect(200);
    const tampered = created.body.apiKey.slice(0, -2) + (created.body.apiKey.endsWith('AA') ? 'BB' : 'AA');
    await t.http.get(api('/cases')).set(key(tampered)).expect(401);
    await t.http.get(api('/cases')).set(key(`mtk_${'a'.repeat(16)}_${'b'.repeat(43)}`)).expect(401);
    for (const body of [
      { name: 'x', role: 'admin', workstationIds: [a.ws.id] },
      { name: 'x', role: 'mediator', workstationIds: [a.ws.id] },
      { name: 'x', role: 'court_clerk', workstationIds: [] },
      { name: 'x', role: 'court_clerk', workstationIds: ['00000000-0000-4000-8000-000000000000'] },
      { name: '', role: 'court_clerk', workstationIds: [a.ws.id] },
    ]) {
      await t.http.post(api('/service-accounts')).set(bearer(admin)).send(body).expect(400);
    }
    for (const user of [a.staff, a.clerk]) {
      await t.http.post(api('/service-accounts')).set(bearer(user)).send({ name: 'x', role: 'court_clerk', workstationIds: [a.ws.id] }).expect(403);
      await t.http.delete(api(`/service-accounts/${created.body.id}`)).set(bearer(user)).expect(403);
    }
    await t.http.delete(api('/service-accounts/00000000-0000-4000-8000-000000000000')).set(bearer(admin)).expect(404);
    // Service accounts are not people: not in /users, not editable there.
    const users = await t.http.get(api('/users')).set(bearer(admin)).expect(200);
    expect(users.body.map((u: { id: string }) => u.id)).not.toContain(created.body.id);
    await t.http.patch(api(`/users/${created.body.id}`)).set(bearer(admin)).send({ active: true }).expect(404);
  });
});
