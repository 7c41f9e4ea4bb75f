import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dbUrl } from '../setup/test-env';
import { caseBody } from '../utils/case-factory';
import { freePort } from '../utils/redis-server';
import { createTestDatabase } from '../utils/test-app';
import { WebhookReceiver, waitUntil } from '../utils/webhook-receiver';
import { AppProcess, buildApp, BUILT_APP_ADMIN, builtAppEnv } from './built-app';
import { Api, sleep } from './support';

jest.setTimeout(240_000);

const KILLS = 2;
const IN_FLIGHT = 4;

/**
 * The built app killed with SIGKILL while committed webhook events wait in the outbox or are being
 * delivered (the receiver answers slowly, so there is always a backlog), started again, twice.
 * None is lost: every event whose change committed reaches the receiver, signed; at least once,
 * so a delivery cut by the kill may come twice, and the receiver dedupes by id.
 */
describe('reliability: webhooks across a SIGKILL between the commit and the delivery', () => {
  let app: AppProcess;
  let db: Client;
  let api: Api;
  let token: string;
  let workstationId: string;
  const receiver = new WebhookReceiver(`sigkill-secret-${randomBytes(8).toString('hex')}`);
  const accepted: string[] = [];
  const undeliveredAtKill: number[] = [];

  beforeAll(async () => {
    const main = buildApp();
    const database = await createTestDatabase();
    await receiver.start();
    receiver.behaviour = () => ({ status: 200, delayMs: 250 });
    app = new AppProcess(
      main,
      builtAppEnv(dbUrl(database), { DB_POOL_SIZE: '10', WEBHOOK_BACKOFF_MS: '200', WEBHOOK_MAX_ATTEMPTS: '12', WEBHOOK_TIMEOUT_MS: '3000', WEBHOOK_POLL_MS: '100' }),
      await freePort(),
    );
    db = new Client({ connectionString: dbUrl(database) });
    await db.connect();
    await app.start();
    api = new Api(`${app.origin}/api/v1`);
    const login = await api.post('/auth/login', { body: BUILT_APP_ADMIN });
    expect(login.status).toBe(200);
    token = login.body.accessToken;
    const ws = await api.post('/workstations', { token, body: { code: 'HOOK-K', name: 'HOOK-K工作室', court: '某区人民法院', union: '某区总工会', region: '某市' } });
    expect(ws.status).toBe(201);
    workstationId = ws.body.id;
    const hook = await api.post('/webhooks', { token, body: { url: receiver.url, events: ['case.registered'], secret: receiver.secret } });
    expect(hook.status).toBe(201);
  });
  afterAll(async () => {
    await app?.stop();
    await db?.end();
    await receiver.stop();
  });

  const undelivered = async () => Number((await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status IN ('pending', 'enqueued')`)).rows[0].n);

  function stream(stopped: () => boolean) {
    const writer = async () => {
      while (!stopped()) {
        try {
          const res = await api.post('/cases', { token, body: caseBody(workstationId, { summary: `推送 SIGKILL ${randomBytes(4).toString('hex')}` }), timeoutMs: 10_000 });
          if (res.status === 201) accepted.push(res.body.id);
          else if (res.status !== 503) throw new Error(`intake answered ${res.status}: ${res.text}`);
        } catch (e) {
          if (String(e).includes('intake answered')) throw e;
          // The process died under the request.
          await sleep(20);
        }
      }
    };
    return Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  }

  it(`loses no webhook event across ${KILLS} SIGKILLs`, async () => {
    for (let cycle = 1; cycle <= KILLS + 1; cycle++) {
      if (cycle > 1) await app.start();
      let stop = false;
      const writers = stream(() => stop);
      const before = accepted.length;
      // Enough committed, and a backlog of committed events not yet delivered.
      await waitUntil('a backlog of undelivered webhook events', async () => accepted.length - before >= 30 && (await undelivered()) >= 10, 60_000);
      if (cycle <= KILLS) {
        undeliveredAtKill.push(await undelivered());
        await app.kill();
      }
      stop = true;
      await writers;
    }

    // The restarted app delivers what the killed ones left: queued jobs, and jobs cut mid-delivery (stalled).
    await waitUntil('every outbox row delivered', async () => (await undelivered()) === 0, 120_000);

    const cases: string[] = (await db.query(`SELECT id FROM cases`)).rows.map((r: { id: string }) => r.id);
    const [{ events, rows, delivered }] = (
      await db.query(
        `SELECT (SELECT count(*)::int FROM case_events WHERE type = 'case_registered') AS events,
                (SELECT count(*)::int FROM webhook_deliveries) AS rows,
                (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'delivered') AS delivered`,
      )
    ).rows;
    // The outbox row committed with its change: one per registration, no more, no less.
    expect({ events, rows, delivered }).toEqual({ events: cases.length, rows: cases.length, delivered: cases.length });

    // Every committed case (acknowledged or in flight at a kill) reached the receiver, signed.
    const received = new Map<string, number>();
    for (const r of receiver.acknowledged()) received.set(r.data.caseId, (received.get(r.data.caseId) ?? 0) + 1);
    expect(receiver.receipts.every((r) => r.signatureOk)).toBe(true);
    expect(cases.filter((id) => !received.has(id))).toEqual([]);
    expect(accepted.filter((id) => !received.has(id))).toEqual([]);
    expect(new Set(accepted).size).toBe(accepted.length);
    // Each case has one event id, however many times it was sent.
    const idsByCase = new Map<string, Set<string>>();
    for (const r of receiver.acknowledged()) idsByCase.set(r.data.caseId, (idsByCase.get(r.data.caseId) ?? new Set()).add(r.id));
    expect([...idsByCase.values()].every((s) => s.size === 1)).toBe(true);
    const duplicates = [...received.values()].reduce((sum, n) => sum + n - 1, 0);

    console.log(
      `webhooks SIGKILL: ${KILLS} kills (undelivered events at each kill: ${undeliveredAtKill.join(', ')}); ${cases.length} cases committed ` +
        `(${accepted.length} acknowledged to the client), ${cases.length} events delivered, 0 lost, ${duplicates} delivered twice (at least once; receivers dedupe by id)`,
    );
  });
});
