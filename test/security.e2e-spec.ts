import { Writable } from 'node:stream';
import { Role } from '../src/accounts-core/role.enum';
import { LOG_STREAM } from '../src/logging/logging.module';
import { createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TEST_PASSWORD } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

const api = (p: string) => `/api/v1${p}`;

/** Collects every log line the app writes. */
function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('security: logs, headers, login limits (e2e)', () => {
  describe('logs', () => {
    const log = logCapture();
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ workers: false, env: { LOG_LEVEL: 'info' }, overrides: [{ provide: LOG_STREAM, useValue: log.stream }] });
    });
    afterAll(() => t.close());

    it('writes no token, password, search text or identity number, and names the user on every request line', async () => {
      const team = await makeWorkstationTeam(t);
      const admin = await makeUser(t, Role.Admin, null);
      const idNumber = '110101198003077777';
      const searched = '欧阳秘密';
      const c = await createCase(t, team.staff, team.ws.id, { applicant: { name: searched, idNumber, phone: '13800000001' } });
      const session = await t.http.post(api('/auth/login')).send({ username: team.clerk.username, password: TEST_PASSWORD }).expect(200);
      const token: string = session.body.accessToken;
      await t.http.post(api('/auth/login')).send({ username: team.clerk.username, password: 'wrong-secret-guess' }).expect(401);
      await t.http.get(api(`/cases?q=${encodeURIComponent(searched)}`)).set('Authorization', `Bearer ${token}`).expect(200);
      const whole = await t.http.get(api(`/cases/${c.id}`)).set('Authorization', `Bearer ${token}`).expect(200);
      expect(whole.body.applicant.idNumber).toBe(idNumber);
      await t.http.get(api(`/cases?access_token=${token}&q=${idNumber}`)).expect(401);
      await t.http.post(api('/auth/password')).set('Authorization', `Bearer ${token}`).send({ currentPassword: TEST_PASSWORD, newPassword: 'short' }).expect(400);
      await t.http.post('/admin/queues/session').send({ token: admin.token }).expect(204);
      await t.http.get(api('/cases/not-a-uuid')).set(bearer(team.staff)).expect(400);
      const tagged = await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.staff)).set('X-Request-Id', 'trace-4711.a_b').expect(200);
      expect(tagged.headers['x-request-id']).toBe('trace-4711.a_b');
      const untagged = await t.http.get('/health').set('X-Request-Id', 'not a sane id').expect(200);
      expect(untagged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      await new Promise((r) => setTimeout(r, 200));

      const text = log.lines.join('\n');
      expect(log.lines.length).toBeGreaterThan(8);
      for (const secret of [token, token.split('.')[1], admin.token, TEST_PASSWORD, 'wrong-secret-guess', searched, encodeURIComponent(searched), idNumber]) {
        expect(text.includes(secret)).toBe(false);
      }
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);

      const requestLines = log.lines.map((l) => JSON.parse(l)).filter((l) => l.req && l.res);
      expect(requestLines.length).toBeGreaterThan(8);
      for (const line of requestLines) expect(line).toHaveProperty('user');
      const caseRead = requestLines.find((l) => l.req.url === api(`/cases/${c.id}`));
      expect(caseRead).toMatchObject({ user: team.clerk.username, userId: team.clerk.id });
      const search = requestLines.find((l) => String(l.req.url).startsWith(api('/cases?q=')));
      expect(search.req.url).toBe(api('/cases?q=[REDACTED]'));
      const anonymous = requestLines.find((l) => l.req.url === api('/auth/login'));
      expect(anonymous.user).toBe('anonymous');
      expect(anonymous.userId).toBeNull();
      const failedLogin = requestLines.find((l) => l.req.url === api('/auth/login') && l.res.statusCode === 401);
      expect(failedLogin).toMatchObject({ level: 40, msg: 'request completed', req: { method: 'POST' } });
      expect(caseRead).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET' }, res: { statusCode: 200 } });
      expect(typeof caseRead.responseTime).toBe('number');
      const taggedLine = requestLines.find((l) => l.req.id === 'trace-4711.a_b');
      expect(taggedLine).toMatchObject({ req: { url: api(`/cases/${c.id}`) }, user: team.staff.username });
      expect(requestLines.find((l) => l.req.id === untagged.headers['x-request-id'])).toMatchObject({ req: { url: '/health' }, user: 'anonymous' });
    });
  });

  describe('headers', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ workers: false });
    });
    afterAll(() => t.close());

    it('sends security headers on every response and no-store on every API answer', async () => {
      const team = await makeWorkstationTeam(t);
      const c = await createCase(t, team.staff, team.ws.id);
      const responses = [
        await t.http.get('/health').expect(200),
        await t.http.get('/docs-json').expect(200),
        await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.staff)).expect(200),
        await t.http.get(api('/cases')).set(bearer(team.staff)).expect(200),
        await t.http.get(api('/cases')).expect(401),
        await t.http.get('/admin/queues').expect(401),
        await t.http.get(api('/nowhere')).expect(404), // (a page path outside the API is the web application's index.html)
      ];
      for (const res of responses) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        const path = (res as unknown as { req: { path: string } }).req.path;
        expect([path, res.headers['content-security-policy']]).toEqual([path, expect.stringMatching(/frame-ancestors 'none'|^default-src 'none'$/)]);
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
      for (const res of responses.slice(2, 5)) expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('login limits', () => {
    let t: TestApp;
    let t2: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ workers: false, env: { LOGIN_RATE_LIMIT: '8' } });
      // A second instance on the same Redis and database: the limits are shared.
      t2 = await createTestApp({ workers: false, database: t.database, queuePrefix: t.queuePrefix, env: { LOGIN_RATE_LIMIT: '8', TRUSTED_PROXIES: 'loopback' } });
    });
    afterAll(async () => {
      await t2.close();
      await t.close();
    });

    it('locks an account after 5 failures with a growing backoff, across instances, with Retry-After', async () => {
      const team = await makeWorkstationTeam(t);
      const attempt = (app: TestApp, password: string, forwardedFor?: string) => {
        const req = app.http.post(api('/auth/login')).send({ username: team.mediator.username, password });
        return forwardedFor ? req.set('X-Forwarded-For', forwardedFor) : req;
      };
      for (let i = 0; i < 5; i++) await attempt(i % 2 ? t2 : t, 'wrong-password-x', `198.51.100.${i}`).expect(401);
      const locked = await attempt(t, TEST_PASSWORD).expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(locked.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
      expect(locked.body.messageZh).toMatch(/登录失败次数过多/);
      await attempt(t2, TEST_PASSWORD, '203.0.113.9').expect(429);
      await new Promise((r) => setTimeout(r, 1100));
      await attempt(t2, 'wrong-password-x', '203.0.113.9').expect(401);
      const longer = await attempt(t, TEST_PASSWORD).expect(429);
      expect(Number(longer.headers['retry-after'])).toBe(2);
      await new Promise((r) => setTimeout(r, 2100));
      await attempt(t, TEST_PASSWORD).expect(200);
      // A success clears the account's failures.
      await attempt(t2, 'wrong-password-x', '203.0.113.10').expect(401);
      await attempt(t2, TEST_PASSWORD, '203.0.113.10').expect(200);
    });

    it('limits failures per client address; a forged X-Forwarded-For changes nothing unless it comes from a trusted proxy', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        // A different unknown username each time (no account lock), a forged forwarding address each time.
        const res = await t.http.post(api('/auth/login')).set('X-Forwarded-For', `10.9.${i}.1`).send({ username: `nobody-${i}`, password: 'wrong-password-x' });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(-3)).toEqual([429, 429, 429]);

      // Behind a trusted proxy (t2 trusts loopback) the forwarded address is the client: another client is not limited.
      const team = await makeWorkstationTeam(t2);
      await t2.http.post(api('/auth/login')).set('X-Forwarded-For', '192.0.2.77').send({ username: team.staff.username, password: TEST_PASSWORD }).expect(200);
    });
  });
});
