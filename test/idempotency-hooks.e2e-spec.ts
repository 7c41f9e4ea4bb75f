import { createHash } from 'node:crypto';
import { Role } from '../src/accounts-core/role.enum';
import { AuditService } from '../src/audit/audit.service';
import { canonicalJson } from '../src/idempotency/request-fingerprint';
import { caseBody, createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Idempotency-Key where the handler's pipeline meets it: the order with the auth guard, the pipes
 * and the identity audit, the error path, the replay's status and headers, and the routes without
 * @Idempotent() (issue 17 moved it from a Nest interceptor to a guard and Fastify hooks; these
 * pass on the interceptor as well).
 */
describe('Idempotency-Key in the request pipeline (e2e)', () => {
  let t: TestApp;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(() => t?.close());

  const intake = (key: string | undefined, body: object, user: { token: string } = team.staff) => {
    const req = t.http.post('/api/v1/cases').set(bearer(user));
    if (key !== undefined) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const keyRows = async (key: string) => (await t.db.query(`SELECT state, status_code, applied_case_id FROM idempotency_keys WHERE key = $1`, [key])) as Array<Record<string, unknown>>;
  const identityViews = async (caseId: string) => Number((await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND action = 'case.identity_viewed'`, [caseId]))[0].n);

  it('a replay has the first answer\'s status, body and headers, plus Idempotent-Replayed', async () => {
    const body = caseBody(team.ws.id);
    const first = await intake('headers-key', body);
    const again = await intake('headers-key', body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    const { date: _d1, 'x-request-id': _r1, connection: _c1, 'keep-alive': _k1, ...firstHeaders } = first.headers;
    const { date: _d2, 'x-request-id': _r2, connection: _c2, 'keep-alive': _k2, 'idempotent-replayed': replayed, ...againHeaders } = again.headers;
    expect(replayed).toBe('true');
    expect(againHeaders).toEqual(firstHeaders);
  });

  it('an answer whose identity-view record fails is stored all the same: the retry gets it, and is audited as a view', async () => {
    const body = caseBody(team.ws.id);
    const recordGrouped = jest.spyOn(t.app.get(AuditService), 'recordGrouped').mockRejectedValueOnce(new Error('audit table unavailable'));
    let failed;
    try {
      failed = await intake('audit-fails-key', body, admin);
    } finally {
      recordGrouped.mockRestore();
    }
    expect(failed.status).toBe(500);
    expect(failed.text).not.toContain('420102199001011234');
    const [row] = await keyRows('audit-fails-key');
    expect(row).toMatchObject({ state: 'completed', status_code: 201 });

    const retry = await intake('audit-fails-key', body, admin);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.applicant.idNumber).toBe('420102199001011234');
    expect(retry.body.id).toBe(row.applied_case_id);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE summary = $1`, [body.summary]);
    expect(n).toBe(1);
    expect(await identityViews(retry.body.id)).toBe(1);
    // A replay showing a whole identity number is a view like the first answer.
    await intake('audit-fails-key', body, admin).expect(201);
    expect(await identityViews(retry.body.id)).toBe(2);
  });

  it('a handler that refuses gives the key up; the key is checked before the body, after the token', async () => {
    const other = await makeWorkstationTeam(t);
    const refused = await intake('refused-key', caseBody(other.ws.id));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(await keyRows('refused-key')).toEqual([]);
    const fine = await intake('refused-key', caseBody(team.ws.id));
    expect(fine.status).toBe(201);

    const both = await intake('x'.repeat(256), { ...caseBody(team.ws.id), claimAmount: 1 });
    expect(both.status).toBe(400);
    expect(both.body.details).toEqual({ field: 'Idempotency-Key' });

    const anonymous = await t.http.post('/api/v1/cases').set('Idempotency-Key', 'anonymous-key').send(caseBody(team.ws.id));
    expect(anonymous.status).toBe(401);
    const mediator = await intake('mediator-key', caseBody(team.ws.id), team.mediator);
    expect(mediator.status).toBe(403);
    expect([...(await keyRows('anonymous-key')), ...(await keyRows('mediator-key'))]).toEqual([]);
  });

  it('a replay runs neither the pipes nor the handler (a malformed If-Match does not stop it)', async () => {
    const c = await createCase(t, team.staff, team.ws.id, { receivedAt: new Date(Date.now() - 3600_000).toISOString() });
    await t.http.post(`/api/v1/cases/${c.id}/assign`).set(bearer(team.staff)).send({ mediatorId: team.mediator.id }).expect(200);
    const note = (ifMatch?: string) => {
      const req = t.http.post(`/api/v1/cases/${c.id}/notes`).set(bearer(team.mediator)).set('Idempotency-Key', 'note-pipes');
      if (ifMatch !== undefined) req.set('If-Match', ifMatch);
      return req.send({ text: '电话联系被申请人' });
    };
    const first = await note();
    expect(first.status).toBe(201);
    const replay = await note('not-a-version');
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    // The same request without a key goes through the pipes.
    const plain = await t.http.post(`/api/v1/cases/${c.id}/notes`).set(bearer(team.mediator)).set('If-Match', 'not-a-version').send({ text: '电话联系被申请人' });
    expect(plain.status).toBe(400);
  });

  it('a 200 route replays with 200', async () => {
    const c = await createCase(t, team.staff, team.ws.id, { receivedAt: new Date(Date.now() - 3600_000).toISOString() });
    const extend = () =>
      t.http.post(`/api/v1/cases/${c.id}/extension`).set(bearer(team.staff)).set('Idempotency-Key', 'extension-key').send({ days: 5, reason: '双方同意延长调解期限', agreedBy: ['applicant', 'respondent'] });
    const first = await extend();
    expect(first.status).toBe(200);
    const again = await extend();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await keyRows('extension-key'))[0]).toMatchObject({ state: 'completed', status_code: 200 });
  });

  it('a duplicate of a request still in progress waits, then is a 409 once the wait is over', async () => {
    const body = caseBody(team.ws.id);
    const hash = createHash('sha256').update(`POST /api/v1/cases\n${canonicalJson(body)}`).digest('hex');
    await t.db.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, lease_until, expires_at) VALUES ($1, 'busy-key', $2, now() + interval '60 seconds', now() + interval '1 day')`,
      [team.staff.id, hash],
    );
    const started = Date.now();
    const busy = await intake('busy-key', body);
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ statusCode: 409, details: { field: 'Idempotency-Key' } });
    expect(busy.body.messageZh).toMatch(/仍在处理中/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
    expect((await keyRows('busy-key'))[0]).toMatchObject({ state: 'in_progress', applied_case_id: null });
  }, 30_000);

  it('a route without @Idempotent() does not read the header', async () => {
    const c = await createCase(t, team.staff, team.ws.id, { receivedAt: new Date(Date.now() - 3600_000).toISOString() });
    const assign = (mediatorId: string, key: string) => t.http.post(`/api/v1/cases/${c.id}/assign`).set(bearer(team.staff)).set('Idempotency-Key', key).send({ mediatorId });
    const first = await assign(team.mediator.id, 'assign-key');
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The same key with another body: done, not a 409; a malformed key: done, not a 400.
    const second = await assign(team.mediator2.id, 'assign-key');
    expect(second.status).toBe(200);
    expect(second.body.mediatorId).toBe(team.mediator2.id);
    const third = await assign(team.mediator.id, 'x'.repeat(300));
    expect(third.status).toBe(200);
    expect(third.body.mediatorId).toBe(team.mediator.id);
    expect(await keyRows('assign-key')).toEqual([]);
  });
});
