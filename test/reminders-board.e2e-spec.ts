import { Role } from '../src/accounts-core/role.enum';
import { QueueName } from '../src/queue/queue-names';
import { bearer, makeUser, makeWorkstationTeam, tokenFor } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(30_000);

describe('queue board /admin/queues (e2e)', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    admin = await makeUser(t, Role.Admin, null);
    team = await makeWorkstationTeam(t);
  });
  afterAll(() => t.close());

  it('is outside the API prefix and closed to anyone without a token (401) or who is not an admin (403)', async () => {
    const anonymous = await t.http.get('/admin/queues').expect(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    await t.http.get('/admin/queues/api/queues').expect(401);
    await t.http.get('/admin/queues').set('Authorization', 'Bearer not.a.token').expect(401);
    await t.http.get('/admin/queues').set(bearer({ token: tokenFor(t, admin, -10) })).expect(401);
    for (const user of [team.staff, team.mediator, team.clerk]) {
      await t.http.get('/admin/queues').set(bearer(user)).expect(403);
      // A token in a URL is never read (it would end up in logs and browser history).
      await t.http.get(`/admin/queues/api/queues?access_token=${user.token}`).expect(401);
      await t.http.post('/admin/queues/session').set(bearer(user)).expect(403);
      await t.http.get('/admin/queues/api/queues').set('Cookie', `access_token=${user.token}`).expect(403);
    }
    await t.http.get('/api/v1/admin/queues').set(bearer(admin)).expect(404);
  });

  it('shows the board and every queue to an admin, by bearer header, or a cookie set by POST /admin/queues/session (never a URL)', async () => {
    const page = await t.http.get('/admin/queues').set(bearer(admin)).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['x-powered-by']).toBeUndefined();

    await t.http.get(`/admin/queues?access_token=${admin.token}`).expect(401);
    await t.http.get('/admin/queues/session').set(bearer(admin)).expect(401);
    await t.http.post('/admin/queues/session').send({ token: 'not.a.token' }).expect(401);
    const viaPost = await t.http.post('/admin/queues/session').send({ token: admin.token }).expect(204);
    const cookie = String(viaPost.headers['set-cookie']);
    expect(cookie).toMatch(/access_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/admin\/queues/);

    const api = await t.http.get('/admin/queues/api/queues').set('Cookie', `access_token=${admin.token}`).expect(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(Object.values(QueueName).sort());
  });
});
