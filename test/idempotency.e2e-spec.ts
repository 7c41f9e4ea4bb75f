import { Role } from '../src/accounts-core/role.enum';
import { caseBody } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/** Idempotency-Key (DESIGN.md "API"): a retried intake returns the first answer instead of a second case. */
describe('Idempotency-Key (e2e)', () => {
  let t: TestApp;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
  });
  afterAll(() => t?.close());

  const intake = (key: string | undefined, body: object, user = team.staff) => {
    const req = t.http.post('/api/v1/cases').set(bearer(user));
    if (key !== undefined) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const casesWithSummary = async (summary: string) => Number((await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE summary = $1`, [summary]))[0].n);

  it('the same intake sent three times with one key makes one case, and every answer is the first', async () => {
    const body = caseBody(team.ws.id, { summary: `幂等登记 ${Date.now()}` });
    const first = await intake('intake-key-1', body);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await intake('intake-key-1', body);
    const third = await intake('intake-key-1', { ...body }); // same body, another object
    for (const again of [second, third]) {
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    }
    expect(await casesWithSummary(body.summary)).toBe(1);
    const events = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1`, [first.body.id]);
    expect(events[0].n).toBe(1);
  });

  it('the same body with its keys in another order is the same request', async () => {
    const body = caseBody(team.ws.id, { summary: `幂等顺序 ${Date.now()}` });
    const first = await intake('order-key', body);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await intake('order-key', reordered);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await casesWithSummary(body.summary)).toBe(1);
  });

  it('three concurrent sends with one key make one case and all get its answer', async () => {
    for (let round = 0; round < 5; round++) {
      const body = caseBody(team.ws.id, { summary: `幂等并发 ${round} ${Date.now()}` });
      const answers = await Promise.all([1, 2, 3].map(() => intake(`concurrent-${round}`, body)));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
      expect(await casesWithSummary(body.summary)).toBe(1);
    }
  });

  it('the same key with another body is a 409 and changes nothing', async () => {
    const body = caseBody(team.ws.id, { summary: `幂等冲突 ${Date.now()}` });
    expect((await intake('conflict-key', body)).status).toBe(201);
    const other = await intake('conflict-key', { ...body, claimAmount: '99999.00' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ statusCode: 409, details: { field: 'Idempotency-Key' } });
    expect(other.body.messageZh).toMatch(/幂等键/);
    expect(await casesWithSummary(body.summary)).toBe(1);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE claim_amount = 99999`);
    expect(n).toBe(0);
  });

  it('keys are per user: another user with the same key makes their own case', async () => {
    const staff2 = await makeUser(t, Role.UnionStaff, team.ws.id);
    const body = caseBody(team.ws.id, { summary: `幂等用户 ${Date.now()}` });
    const a = await intake('shared-key', body);
    const b = await intake('shared-key', body, staff2);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(await casesWithSummary(body.summary)).toBe(2);
  });

  it('without a key every send is a new case; a failed request gives its key up', async () => {
    const body = caseBody(team.ws.id, { summary: `无幂等键 ${Date.now()}` });
    expect((await intake(undefined, body)).status).toBe(201);
    expect((await intake(undefined, body)).status).toBe(201);
    expect(await casesWithSummary(body.summary)).toBe(2);

    const bad = { ...body, summary: `幂等失败 ${Date.now()}`, claimAmount: 12500 };
    expect((await intake('failing-key', bad)).status).toBe(400);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'failing-key'`);
    expect(n).toBe(0);
    // The corrected request under the same key runs.
    const fixed = await intake('failing-key', { ...bad, claimAmount: '12500.00' });
    expect(fixed.status).toBe(201);
  });

  it('a key is kept at least 24 hours, and a malformed key is a 400', async () => {
    const body = caseBody(team.ws.id, { summary: `幂等保留 ${Date.now()}` });
    expect((await intake('kept-key', body)).status).toBe(201);
    const [row] = await t.db.query(`SELECT extract(epoch FROM expires_at - created_at)::int AS seconds, state, status_code FROM idempotency_keys WHERE key = 'kept-key'`);
    expect(row).toEqual({ seconds: 24 * 3600, state: 'completed', status_code: 201 });
    const malformed = await intake('x'.repeat(256), body);
    expect(malformed.status).toBe(400);
    expect(malformed.body.details).toEqual({ field: 'Idempotency-Key' });
  });

  it('a request whose change committed but whose answer was lost is not made again', async () => {
    const body = caseBody(team.ws.id, { summary: `幂等丢失 ${Date.now()}` });
    const first = await intake('lost-answer-key', body);
    expect(first.status).toBe(201);
    // As if the process died between the commit and storing the answer: the change's transaction marked the key.
    const [row] = await t.db.query(`SELECT applied_case_id FROM idempotency_keys WHERE key = 'lost-answer-key'`);
    expect(row.applied_case_id).toBe(first.body.id);
    await t.db.query(`UPDATE idempotency_keys SET state = 'in_progress', status_code = NULL, response_body = NULL, lease_until = now() - interval '1 second' WHERE key = 'lost-answer-key'`);
    const retry = await intake('lost-answer-key', body);
    expect(retry.status).toBe(409);
    expect(retry.body.details).toEqual({ caseId: first.body.id });
    expect(await casesWithSummary(body.summary)).toBe(1);
  });

  it('other harmful-to-retry POSTs honour the key: a note and a session are made once', async () => {
    const c = (await intake(undefined, caseBody(team.ws.id, { receivedAt: new Date(Date.now() - 3600_000).toISOString() }))).body;
    expect((await t.http.post(`/api/v1/cases/${c.id}/assign`).set(bearer(team.staff)).send({ mediatorId: team.mediator.id })).status).toBe(200);
    const note = () => t.http.post(`/api/v1/cases/${c.id}/notes`).set(bearer(team.mediator)).set('Idempotency-Key', 'note-1').send({ text: '电话联系申请人' });
    const [n1, n2] = [await note(), await note()];
    expect(n1.status).toBe(201);
    expect(n2.body).toEqual(n1.body);
    const scheduledAt = new Date(Date.now() + 86400_000).toISOString();
    const session = () => t.http.post(`/api/v1/cases/${c.id}/sessions`).set(bearer(team.mediator)).set('Idempotency-Key', 'session-1').send({ scheduledAt, mode: 'onsite' });
    const s1 = await session();
    const s2 = await session();
    expect(s1.status).toBe(201);
    expect(s2.status).toBe(201);
    expect(s2.body.id).toBe(s1.body.id);
    const [{ notes }] = await t.db.query(`SELECT count(*)::int AS notes FROM case_events WHERE case_id = $1 AND type = 'note_added'`, [c.id]);
    const [{ sessions }] = await t.db.query(`SELECT count(*)::int AS sessions FROM case_sessions WHERE case_id = $1`, [c.id]);
    expect({ notes, sessions }).toEqual({ notes: 1, sessions: 1 });
  });
});
