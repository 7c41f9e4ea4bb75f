import { Role } from '../src/accounts-core/role.enum';
import { createTestApp, TestApp } from './utils/test-app';
import { bearer, makeUser, TestUser } from './utils/factories';

describe('error shape and input validation (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(() => t.close());

  const count = async () => Number((await t.db.query('SELECT count(*) FROM workstations'))[0].count);

  it('rejects unknown fields with 400 naming them, and writes nothing', async () => {
    const before = await count();
    const res = await t.http
      .post('/api/v1/workstations')
      .set(bearer(admin))
      .send({ code: 'OK-1', name: 'n', court: 'c', union: 'u', region: 'r', isAdmin: true })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'isAdmin' })]));
    expect(await count()).toBe(before);
  });

  it('rejects wrong types and missing fields with field details', async () => {
    const res = await t.http.post('/api/v1/workstations').set(bearer(admin)).send({ code: 42, name: ['x'] }).expect(400);
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['code', 'name', 'court', 'union', 'region']));
  });

  it('answers malformed JSON with 400 and huge bodies with 413, without stack traces', async () => {
    const bad = await t.http.post('/api/v1/workstations').set(bearer(admin)).set('Content-Type', 'application/json').send('{"code": ').expect(400);
    expect(bad.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body', messageZh: '提交的内容有误，请检查后重试' });
    const huge = await t.http
      .post('/api/v1/workstations')
      .set(bearer(admin))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ code: 'X', name: 'x'.repeat(400_000) }))
      .expect(413);
    expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(JSON.stringify(huge.body)).not.toMatch(/at .*\.js/);
  });

  it('answers unknown routes with 404 in the same shape', async () => {
    const res = await t.http.get('/api/v1/nothing-here').set(bearer(admin)).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('rejects a bad query parameter with 400', async () => {
    const res = await t.http.get('/api/v1/users?role=superuser').set(bearer(admin)).expect(400);
    expect(res.body.details[0].field).toBe('role');
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/workstations', '/api/v1/users']));
    const ui = await t.http.get('/docs').expect(200);
    expect(ui.text).toMatch(/swagger/i);
  });
});
