import { hash } from '@node-rs/argon2';
import { PasswordHasher } from '../src/accounts-core/password-hasher';
import { Role } from '../src/accounts-core/role.enum';
import { UsersService } from '../src/users/users.service';
import { createTestApp, TestApp } from './utils/test-app';
import { bearer, makeUser, makeWorkstation, TEST_PASSWORD, tokenFor } from './utils/factories';

describe('auth (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: false, env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1', LOGIN_RATE_LIMIT: '5' } });
  });
  afterAll(() => t.close());

  it('creates the first admin from ADMIN_USERNAME/ADMIN_PASSWORD and logs in', async () => {
    const res = await t.http.post('/api/v1/auth/login').send({ username: 'root', password: 'root-password-1' }).expect(200);
    expect(res.body.accessToken).toMatch(/^ey/);
    expect(res.body.user).toMatchObject({ username: 'root', role: 'admin', workstationId: null });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
    const me = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.username).toBe('root');
  });

  it('rejects a wrong password and an unknown user with the same 401', async () => {
    const wrong = await t.http.post('/api/v1/auth/login').send({ username: 'root', password: 'nope-nope' }).expect(401);
    const unknown = await t.http.post('/api/v1/auth/login').send({ username: 'nobody', password: 'nope-nope' }).expect(401);
    expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Wrong username or password', messageZh: '请先登录' });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('rejects a missing, malformed, forged or expired token', async () => {
    await t.http.get('/api/v1/auth/me').expect(401);
    await t.http.get('/api/v1/auth/me').set('Authorization', 'Bearer not-a-token').expect(401);
    const ws = await makeWorkstation(t);
    const user = await makeUser(t, Role.Mediator, ws.id);
    const forged = user.token.slice(0, -4) + (user.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${forged}`).expect(401);
    const expiring = tokenFor(t, user, 1);
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${expiring}`).expect(200);
    await new Promise((r) => setTimeout(r, 2100));
    const res = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${expiring}`).expect(401);
    expect(res.body.message).toBe('Token expired');
  });

  it('logs in a user created through the API, case-insensitively on the username', async () => {
    const admin = await makeUser(t, Role.Admin, null);
    const ws = await makeWorkstation(t);
    await t.http.post('/api/v1/users').set(bearer(admin)).send({ username: 'Li.Na', password: TEST_PASSWORD, displayName: '李娜', role: 'mediator', workstationId: ws.id }).expect(201);
    const res = await t.http.post('/api/v1/auth/login').send({ username: 'li.na', password: TEST_PASSWORD }).expect(200);
    expect(res.body.user).toMatchObject({ displayName: '李娜', role: 'mediator', workstationId: ws.id });
  });

  it('replaces a hash made with the former argon2id settings at the next login, keeping the tokens and the password', async () => {
    const ws = await makeWorkstation(t);
    const user = await makeUser(t, Role.Mediator, ws.id);
    const former = await hash(TEST_PASSWORD, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    await t.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, former]);
    const before = (await t.db.query(`SELECT token_version, password_changed_at, must_change_password FROM users WHERE id = $1`, [user.id]))[0];

    await t.http.post('/api/v1/auth/login').send({ username: user.username, password: TEST_PASSWORD }).expect(200);
    const after = (await t.db.query(`SELECT password_hash, token_version, password_changed_at, must_change_password FROM users WHERE id = $1`, [user.id]))[0];
    expect(after.password_hash).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    expect(t.app.get(PasswordHasher).needsRehash(after.password_hash)).toBe(false);
    expect({ ...after, password_hash: undefined }).toEqual({ ...before, password_hash: undefined });
    // The token issued before still works, and so does the password.
    await t.http.get('/api/v1/auth/me').set(bearer(user)).expect(200);
    await t.http.post('/api/v1/auth/login').send({ username: user.username, password: TEST_PASSWORD }).expect(200);
    expect((await t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]))[0].password_hash).toBe(after.password_hash);

    // A hash changed meanwhile (a reset between the verify and the rehash) is never overwritten.
    await t.app.get(UsersService).replacePasswordHash(user.id, former, 'not-this');
    expect((await t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]))[0].password_hash).toBe(after.password_hash);
  });

  it('rate-limits login attempts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await t.http.post('/api/v1/auth/login').send({ username: 'root', password: 'bad-password' })).status);
    expect(statuses).toContain(429);
    const limited = await t.http.post('/api/v1/auth/login').send({ username: 'root', password: 'root-password-1' });
    expect(limited.status).toBe(429);
    expect(limited.body.statusCode).toBe(429);
  });
});
