import { Role } from '../src/accounts-core/role.enum';
import { createTestApp, TestApp } from './utils/test-app';
import { bearer, makeUser, makeWorkstation, TestUser } from './utils/factories';

describe('workstations and users (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(() => t.close());

  const validWs = (code: string) => ({ code, name: '江岸区工作室', court: '江岸区人民法院', union: '江岸区总工会', region: '武汉市江岸区' });

  it('lets an admin create workstations and users, never returning a password', async () => {
    const ws = await t.http.post('/api/v1/workstations').set(bearer(admin)).send(validWs('JA-01')).expect(201);
    expect(ws.body).toMatchObject({ code: 'JA-01', union: '江岸区总工会' });
    await t.http.post('/api/v1/workstations').set(bearer(admin)).send(validWs('JA-01')).expect(409);
    const user = await t.http
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ username: 'wang.fang', password: 'secret-123', displayName: '王芳', role: 'union_staff', workstationId: ws.body.id })
      .expect(201);
    expect(user.body).toEqual(expect.objectContaining({ id: expect.any(String), username: 'wang.fang', role: 'union_staff', workstationId: ws.body.id }));
    expect(JSON.stringify(user.body)).not.toMatch(/secret|password|hash/i);
    await t.http.post('/api/v1/users').set(bearer(admin)).send({ username: 'WANG.FANG', password: 'secret-123', displayName: 'x', role: 'admin' }).expect(409);
  });

  it('requires a workstation for mediators and clerks, and an existing one', async () => {
    const res = await t.http.post('/api/v1/users').set(bearer(admin)).send({ username: 'med1', password: 'secret-123', displayName: 'x', role: 'mediator' }).expect(400);
    expect(res.body.message).toMatch(/workstationId/);
    await t.http
      .post('/api/v1/users')
      .set(bearer(admin))
      .send({ username: 'med2', password: 'secret-123', displayName: 'x', role: 'mediator', workstationId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
  });

  it('lets only admins manage accounts', async () => {
    const ws = await makeWorkstation(t);
    for (const role of [Role.UnionStaff, Role.Mediator, Role.CourtClerk]) {
      const u = await makeUser(t, role, ws.id);
      await t.http.post('/api/v1/workstations').set(bearer(u)).send(validWs(`X-${role.length}`)).expect(403);
      await t.http.post('/api/v1/users').set(bearer(u)).send({ username: `u_${role}`, password: 'secret-123', displayName: 'x', role: 'admin' }).expect(403);
    }
    const mediator = await makeUser(t, Role.Mediator, ws.id);
    await t.http.get('/api/v1/users').set(bearer(mediator)).expect(403);
  });

  it('does not show one workstation the users of another', async () => {
    const a = await makeWorkstation(t);
    const b = await makeWorkstation(t);
    const staffA = await makeUser(t, Role.UnionStaff, a.id);
    const mediatorA = await makeUser(t, Role.Mediator, a.id);
    const mediatorB = await makeUser(t, Role.Mediator, b.id);
    const clerkB = await makeUser(t, Role.CourtClerk, b.id);
    const cityStaff = await makeUser(t, Role.UnionStaff, null);

    const own = await t.http.get('/api/v1/users').set(bearer(staffA)).expect(200);
    const ids = own.body.map((u: { id: string }) => u.id);
    expect(ids).toContain(mediatorA.id);
    expect(ids).not.toContain(mediatorB.id);
    expect(own.body.every((u: { workstationId: string }) => u.workstationId === a.id)).toBe(true);

    const asked = await t.http.get(`/api/v1/users?workstationId=${b.id}`).set(bearer(staffA)).expect(200);
    expect(asked.body).toEqual([]);

    const clerkView = await t.http.get('/api/v1/users?role=mediator').set(bearer(clerkB)).expect(200);
    expect(clerkView.body.map((u: { id: string }) => u.id)).toEqual([mediatorB.id]);

    const city = await t.http.get(`/api/v1/users?role=mediator&workstationId=${b.id}`).set(bearer(cityStaff)).expect(200);
    expect(city.body.map((u: { id: string }) => u.id)).toEqual([mediatorB.id]);

    const wsList = await t.http.get('/api/v1/workstations').set(bearer(staffA)).expect(200);
    expect(wsList.body.map((w: { id: string }) => w.id)).toEqual([a.id]);
  });
});
