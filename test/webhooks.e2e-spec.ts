import { Role } from '../src/accounts-core/role.enum';
import { webhookEventFor } from '../src/webhooks/webhook-events';
import { caseInState, createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { TestRedisServer } from './utils/redis-server';
import { createTestApp, TestApp } from './utils/test-app';
import { WebhookReceiver, waitUntil } from './utils/webhook-receiver';

jest.setTimeout(90_000);

const ALL_EVENTS = ['case.registered', 'case.assigned', 'case.failed', 'case.concluded', 'confirmation.requested', 'confirmation.ruled'];
const MAX_ATTEMPTS = 6;
const BACKOFF_MS = 150;
const TIMEOUT_MS = 2000;

/**
 * Webhooks (DESIGN.md "API"): a real receiver on 127.0.0.1 checks every signature and counts
 * deliveries. Retries are shortened (6 attempts, 150 ms doubling) so that outages and dead letters
 * play out in seconds.
 */
describe('webhooks (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      env: { WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS), WEBHOOK_BACKOFF_MS: String(BACKOFF_MS), WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS), WEBHOOK_POLL_MS: '100' },
    });
    admin = await makeUser(t, Role.Admin, null);
    team = await makeWorkstationTeam(t);
  });
  afterAll(async () => {
    for (const r of receivers) await r.stop();
    await t?.close();
  });

  async function receiver(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver(`secret-${Math.random().toString(36).slice(2)}-0123456789`);
    await r.start();
    receivers.push(r);
    return r;
  }

  async function register(r: WebhookReceiver, body: Record<string, unknown> = {}) {
    const res = await t.http.post('/api/v1/webhooks').set(bearer(admin)).send({ url: r.url, events: ALL_EVENTS, secret: r.secret, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; url: string; events: string[]; workstationId: string | null; active: boolean };
  }

  const unregister = async (id: string) => expect((await t.http.delete(`/api/v1/webhooks/${id}`).set(bearer(admin))).status).toBe(204);

  async function deliveries(webhookId: string, query = '') {
    const res = await t.http.get(`/api/v1/webhooks/${webhookId}/deliveries?pageSize=100${query}`).set(bearer(admin));
    expect(res.status).toBe(200);
    return res.body as { items: any[]; total: number };
  }

  /** The webhook events the timeline of these cases should have produced, by type. */
  async function expectedEvents(caseIds: string[]): Promise<Record<string, number>> {
    const rows: Array<{ type: string }> = await t.db.query(`SELECT type FROM case_events WHERE case_id = ANY($1::uuid[])`, [caseIds]);
    const counts: Record<string, number> = {};
    for (const { type } of rows) {
      const w = webhookEventFor(type);
      if (w) counts[w] = (counts[w] ?? 0) + 1;
    }
    return counts;
  }

  const countByType = (receipts: Array<{ type: string }>) => receipts.reduce<Record<string, number>>((acc, r) => ((acc[r.type] = (acc[r.type] ?? 0) + 1), acc), {});

  it('admins register, list and delete webhooks; the secret is never shown; others may not', async () => {
    const r = await receiver();
    const hook = await register(r, { workstationId: team.ws.id, events: ['case.failed'] });
    expect(hook).toMatchObject({ url: r.url, events: ['case.failed'], workstationId: team.ws.id, active: true });
    expect(JSON.stringify(hook)).not.toContain(r.secret);
    const list = await t.http.get('/api/v1/webhooks').set(bearer(admin));
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(hook.id);
    expect(JSON.stringify(list.body)).not.toContain(r.secret);
    expect((await t.http.post('/api/v1/webhooks').set(bearer(team.staff)).send({ url: r.url, events: ['case.failed'], secret: r.secret })).status).toBe(403);
    expect((await t.http.get('/api/v1/webhooks').set(bearer(team.clerk))).status).toBe(403);
    const bad = await t.http.post('/api/v1/webhooks').set(bearer(admin)).send({ url: 'ftp://x', events: ['case.eaten'], secret: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['events', 'secret', 'url']);
    await unregister(hook.id);
    expect((await t.http.delete(`/api/v1/webhooks/${hook.id}`).set(bearer(admin))).status).toBe(404);
    expect((await t.http.get('/api/v1/webhooks').set(bearer(admin))).body.items.map((w: { id: string }) => w.id)).not.toContain(hook.id);
  });

  it('every event is delivered once, signed, with what a court system needs; a workstation webhook hears only its own', async () => {
    const all = await receiver();
    const own = await receiver();
    const allHook = await register(all);
    const other = await makeWorkstationTeam(t);
    const ownHook = await register(own, { workstationId: other.ws.id, events: ['case.registered'] });

    const confirmed = await caseInState(t, team, 'confirmed');
    const failedCourtCase = await caseInState(t, team, 'failed', { source: 'court_entrusted', courtCaseNumber: '(2026)测0102民初1234号' });
    const withdrawn = await caseInState(t, team, 'withdrawn');
    const failedWalkIn = await caseInState(t, team, 'failed');
    const elsewhere = await createCase(t, other.staff, other.ws.id);
    const ids = [confirmed.id, failedCourtCase.id, withdrawn.id, failedWalkIn.id, elsewhere.id];
    const expected = await expectedEvents(ids);
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(expected).toEqual({ 'case.registered': 5, 'case.assigned': 4, 'case.concluded': 2, 'case.failed': 2, 'confirmation.requested': 1, 'confirmation.ruled': 1 });

    await waitUntil(`${total} deliveries`, () => all.acknowledged().length >= total && own.acknowledged().length >= 1);
    await new Promise((r) => setTimeout(r, 500)); // nothing more comes
    expect(all.receipts.every((r) => r.signatureOk)).toBe(true);
    expect(all.receipts).toHaveLength(total);
    expect([...all.countsById().values()].every((n) => n === 1)).toBe(true);
    expect(countByType(all.receipts)).toEqual(expected);

    // What a court system reads: the case, its number, the hand-off of a failure, the ruling.
    const courtFailure = all.receipts.find((r) => r.type === 'case.failed' && r.data.caseId === failedCourtCase.id)!;
    expect(courtFailure.data).toMatchObject({ caseNumber: failedCourtCase.caseNumber, workstationId: team.ws.id, status: 'failed', handOff: 'returned_to_court', courtCaseNumber: '(2026)测0102民初1234号', reason: '测试' });
    expect(all.receipts.find((r) => r.type === 'case.failed' && r.data.caseId === failedWalkIn.id)!.data.handOff).toBe('arbitration'); // the default for a case not from a court (art. 14)
    expect(all.receipts.find((r) => r.type === 'confirmation.ruled')!.data).toMatchObject({ caseId: confirmed.id, status: 'confirmed', confirmation: 'confirmed' });
    expect(all.receipts.find((r) => r.type === 'case.assigned' && r.data.caseId === confirmed.id)!.data).toMatchObject({ mediatorId: team.mediator.id, status: 'assigned' });
    expect(new Date(all.receipts[0].occurredAt).toISOString()).toBe(all.receipts[0].occurredAt);

    // The workstation webhook: only its workstation's intake.
    expect(own.receipts.map((r) => [r.type, r.data.caseId])).toEqual([['case.registered', elsewhere.id]]);

    const log = await deliveries(allHook.id);
    expect(log.total).toBe(total);
    expect(log.items.every((d) => d.status === 'delivered' && d.attempts === 1 && d.attemptLog.length === 1 && d.attemptLog[0].statusCode === 204)).toBe(true);
    const ids0 = new Set(all.receipts.map((r) => r.id));
    expect(log.items.every((d) => ids0.has(d.payload.id) && d.eventId === d.payload.id)).toBe(true);
    expect((await deliveries(ownHook.id)).total).toBe(1);
    await unregister(allHook.id);
    await unregister(ownHook.id);
  });

  it('a receiver that is down for a while gets everything once it is back, each event once', async () => {
    const r = await receiver();
    const hook = await register(r);
    await r.stop();
    const created: Array<{ id: string }> = [];
    for (let i = 0; i < 6; i++) created.push(await createCase(t, team.staff, team.ws.id));
    const expected = await expectedEvents(created.map((c) => c.id));
    // The outage shows in the log: attempts that found nobody.
    await waitUntil('failed attempts', async () => (await deliveries(hook.id)).items.filter((d) => d.attempts >= 2).length === 6);
    const during = await deliveries(hook.id);
    expect(during.items.every((d) => d.status === 'enqueued' && d.lastStatusCode === null && /ECONNREFUSED/.test(d.lastError))).toBe(true);
    await r.start();
    await waitUntil('every delivery after the outage', () => r.acknowledged().length >= 6);
    await new Promise((res) => setTimeout(res, 800));
    expect(r.receipts).toHaveLength(6);
    expect(r.receipts.every((x) => x.signatureOk)).toBe(true);
    expect([...r.countsById().values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(countByType(r.receipts)).toEqual(expected);
    expect(new Set(r.receipts.map((x) => x.data.caseId))).toEqual(new Set(created.map((c) => c.id)));
    const after = await deliveries(hook.id);
    expect(after.items.every((d) => d.status === 'delivered' && d.attempts >= 3 && d.attemptLog.at(-1).statusCode === 204)).toBe(true);
    await unregister(hook.id);
  });

  it('a slow receiver does not slow the API', async () => {
    const r = await receiver();
    r.behaviour = () => ({ status: 200, delayMs: 1500 });
    const hook = await register(r);
    const timings: number[] = [];
    const done: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      await createCase(t, team.staff, team.ws.id);
      timings.push(performance.now() - started);
      done.push(Date.now());
    }
    await waitUntil('8 slow deliveries', () => r.acknowledged().length >= 8);
    const firstAnswer = Math.min(...r.receipts.map((x) => x.answeredAt!));
    // Every intake had its answer before the receiver answered its first delivery, and quickly.
    expect(Math.max(...done)).toBeLessThan(firstAnswer);
    expect(Math.max(...timings)).toBeLessThan(1000);
    expect(r.receipts).toHaveLength(8);
    console.log(`slow receiver (1.5 s a delivery): intake took ${timings.map((x) => Math.round(x)).join(', ')} ms`);
    await unregister(hook.id);
  });

  it('retries with backoff, then a dead letter with its attempts in the delivery log', async () => {
    const r = await receiver();
    // The first attempt gets no answer at all (the sender's timeout), the others a 500.
    r.behaviour = (n) => (n === 1 ? 'hang' : { status: 500 });
    const hook = await register(r, { events: ['case.registered'] });
    const c = await createCase(t, team.staff, team.ws.id);
    await waitUntil('a dead letter', async () => (await deliveries(hook.id, '&status=dead')).total === 1, 30_000);
    const [dead] = (await deliveries(hook.id, '&status=dead')).items;
    expect(dead).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, lastStatusCode: 500, caseId: c.id, type: 'case.registered' });
    expect(dead.deadAt).not.toBeNull();
    expect(dead.deliveredAt).toBeNull();
    expect(dead.attemptLog.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(dead.attemptLog[0]).toMatchObject({ statusCode: null, error: `no answer within ${TIMEOUT_MS} ms` });
    expect(dead.attemptLog.slice(1).every((a: { statusCode: number }) => a.statusCode === 500)).toBe(true);
    // Exponential backoff: each wait at least doubles from BACKOFF_MS.
    const at = dead.attemptLog.map((a: { at: string }) => new Date(a.at).getTime());
    for (let i = 2; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(BACKOFF_MS * 2 ** (i - 1) - 50);
    expect(r.receipts).toHaveLength(MAX_ATTEMPTS);
    expect(new Set(r.receipts.map((x) => x.id)).size).toBe(1);
    expect(r.receipts.every((x) => x.signatureOk)).toBe(true);
    await new Promise((res) => setTimeout(res, 1000));
    expect(r.receipts).toHaveLength(MAX_ATTEMPTS); // dead means no more attempts

    // The receiver is fixed; the admin sends the dead letter again: same event id, a new round of attempts.
    r.behaviour = () => ({ status: 200 });
    const again = await t.http.post(`/api/v1/webhooks/${hook.id}/deliveries/${dead.id}/redelivery`).set(bearer(admin));
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: dead.id, status: 'pending', deadAt: null });
    await waitUntil('the redelivery', () => r.acknowledged().length === 1);
    expect(r.acknowledged()[0].id).toBe(dead.payload.id);
    await waitUntil('delivered in the log', async () => (await deliveries(hook.id, '&status=delivered')).total === 1);
    const [redelivered] = (await deliveries(hook.id)).items;
    expect(redelivered).toMatchObject({ status: 'delivered', attempts: MAX_ATTEMPTS + 1, lastStatusCode: 200 });
    expect(redelivered.attemptLog).toHaveLength(MAX_ATTEMPTS + 1);
    const twice = await t.http.post(`/api/v1/webhooks/${hook.id}/deliveries/${dead.id}/redelivery`).set(bearer(admin));
    expect(twice.status).toBe(409);
    expect(twice.body.details).toEqual({ status: 'delivered' });
    await unregister(hook.id);
  });

  it('documents every webhook operation in the OpenAPI document, and Idempotency-Key on intake', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const ops = [
      ['post', '/api/v1/webhooks', '201'],
      ['get', '/api/v1/webhooks', '200'],
      ['delete', '/api/v1/webhooks/{id}', '204'],
      ['get', '/api/v1/webhooks/{id}/deliveries', '200'],
      ['post', '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redelivery', '202'],
    ] as const;
    for (const [method, path, status] of ops) {
      const op = doc.paths[path]?.[method];
      expect({ path, method, summary: typeof op?.summary, description: typeof op?.description }).toEqual({ path, method, summary: 'string', description: 'string' });
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining([status, '401', '403']));
      if (status !== '204') expect(op.responses[status].content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\/Webhook/);
    }
    expect(doc.components.schemas.WebhookDeliveryDto.properties.attemptLog.type).toBe('array');
    const intake = doc.paths['/api/v1/cases'].post;
    expect(intake.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toContain('header:Idempotency-Key');
  });

  it('a deleted webhook gets nothing more', async () => {
    const r = await receiver();
    const hook = await register(r);
    await unregister(hook.id);
    await createCase(t, team.staff, team.ws.id);
    await new Promise((res) => setTimeout(res, 800));
    expect(r.receipts).toHaveLength(0);
    expect((await deliveries(hook.id)).total).toBe(0);
  });
});

/** The outbox waits while Redis is down, and what a restarted (emptied) Redis lost is put on the queue again. */
describe('webhooks across a Redis outage (e2e)', () => {
  let t: TestApp;
  let redis: TestRedisServer;
  let admin: TestUser;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  const r = new WebhookReceiver('redis-outage-secret-0123456789');
  let hookId: string;

  beforeAll(async () => {
    redis = await TestRedisServer.create();
    t = await createTestApp({
      redisUrl: redis.url,
      env: { WEBHOOK_MAX_ATTEMPTS: '10', WEBHOOK_BACKOFF_MS: String(BACKOFF_MS), WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS), WEBHOOK_POLL_MS: '100' },
    });
    admin = await makeUser(t, Role.Admin, null);
    team = await makeWorkstationTeam(t);
    await r.start();
    const res = await t.http.post('/api/v1/webhooks').set(bearer(admin)).send({ url: r.url, events: ['case.registered'], secret: r.secret });
    expect(res.status).toBe(201);
    hookId = res.body.id;
  });
  afterAll(async () => {
    await r.stop();
    await t?.close();
    await redis?.stop();
  });

  const statuses = async () =>
    Object.fromEntries(
      (await t.db.query(`SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1 GROUP BY status`, [hookId])).map((x: { status: string; n: number }) => [x.status, x.n]),
    );

  it('intake works while Redis is down; the events go out once it is back, each once', async () => {
    await redis.stop();
    const created: Array<{ id: string }> = [];
    for (let i = 0; i < 5; i++) created.push(await createCase(t, team.staff, team.ws.id));
    await new Promise((res) => setTimeout(res, 500));
    expect(await statuses()).toEqual({ pending: 5 });
    expect(r.receipts).toHaveLength(0);
    await redis.start();
    await waitUntil('deliveries after Redis is back', () => r.acknowledged().length >= 5, 30_000);
    await new Promise((res) => setTimeout(res, 500));
    expect([...r.countsById().values()]).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(r.receipts.map((x) => x.data.caseId))).toEqual(new Set(created.map((c) => c.id)));
    expect(await statuses()).toEqual({ delivered: 5 });
  });

  it('jobs a restarted Redis lost are put on the queue again', async () => {
    await r.stop();
    const created: Array<{ id: string }> = [];
    for (let i = 0; i < 3; i++) created.push(await createCase(t, team.staff, team.ws.id));
    await waitUntil('enqueued and tried', async () => Number((await t.db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'enqueued' AND attempts >= 1`))[0].n) === 3);
    // Redis restarts empty (no persistence): the three jobs and their retries are gone.
    await redis.stop();
    await redis.start();
    await r.start();
    const before = r.acknowledged().length;
    await waitUntil('deliveries after the restart', () => r.acknowledged().length >= before + 3, 30_000);
    await new Promise((res) => setTimeout(res, 500));
    const lateOnes = r.acknowledged().filter((x) => created.some((c) => c.id === x.data.caseId));
    expect(lateOnes).toHaveLength(3);
    expect(new Set(lateOnes.map((x) => x.id)).size).toBe(3);
    expect(await statuses()).toEqual({ delivered: 8 });
  });
});
