import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import Redis from 'ioredis';
import { QueueName } from '../../src/queue/queue-names';
import { DAILY_STATS_SCHEDULER_ID } from '../../src/stats/stats.processor';
import { SWEEP_OUTBOX_SCHEDULER_ID } from '../../src/reminders/outbox-dispatcher';
import { caseBody } from '../utils/case-factory';
import { makeWorkstationTeam } from '../utils/factories';
import { TestRedisServer } from '../utils/redis-server';
import { jumpTo, notificationsOf, RecordingSender, reminderOverrides, remindersOf, waitFor } from '../utils/reminders';
import { createTestApp, TestApp } from '../utils/test-app';
import { Api, listen } from './support';

jest.setTimeout(120_000);

const queueOf = (t: TestApp, name: QueueName) => t.app.get<Queue>(getQueueToken(name), { strict: false });
async function schedulerIds(t: TestApp): Promise<string[]> {
  const ids: string[] = [];
  for (const name of [QueueName.Maintenance, QueueName.Stats]) for (const s of await queueOf(t, name).getJobSchedulers()) ids.push(s.key ?? s.id!);
  return ids.sort();
}

/**
 * Redis down when the app starts: it opens its port and serves case work (the outbox keeps the
 * reminders), then sets up its schedulers and enqueues everything once Redis is there.
 * Redis emptied while the app runs (a FLUSHALL, a failover to an empty replica): noticed by the
 * sentinel key, schedulers and every enqueued reminder added again; each reminder delivered once.
 */
describe('reliability: Redis down at start, Redis data lost', () => {
  const sender = new RecordingSender();
  let redis: TestRedisServer;
  let t: TestApp | undefined;

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('starts and serves case work with Redis down, and catches up when Redis comes', async () => {
    redis = await TestRedisServer.create();
    await redis.stop();
    const started = Date.now();
    t = await createTestApp({ redisUrl: redis.url, overrides: reminderOverrides(sender, 150) });
    const startMs = Date.now() - started;
    expect(startMs).toBeLessThan(15_000);
    const api: Api = await listen(t);
    const team = await makeWorkstationTeam(t);
    const intake = await api.post('/cases', { token: team.staff.token, body: caseBody(team.ws.id), timeoutMs: 3000 });
    expect(intake.status).toBe(201);
    expect(intake.ms).toBeLessThan(2000);
    const ready = await fetch(api.base.replace('/api/v1', '/health/ready'));
    expect(ready.status).toBe(503);
    const caseId = intake.body.id;
    expect((await remindersOf(t, caseId)).every((r) => r.status === 'pending')).toBe(true);

    await redis.start();
    await waitFor('reminders enqueued once Redis is up', async () => (await remindersOf(t!, caseId)).every((r) => r.status === 'enqueued'), 20_000);
    await waitFor('schedulers upserted', async () => (await schedulerIds(t!)).length === 2, 20_000);
    expect(await schedulerIds(t)).toEqual([DAILY_STATS_SCHEDULER_ID, SWEEP_OUTBOX_SCHEDULER_ID].sort());
    // One job per group of reminders due at the same moment (their job_id).
    const [{ jobs }] = await t.db.query(`SELECT count(DISTINCT job_id)::int AS jobs FROM reminders WHERE case_id = $1`, [caseId]);
    expect(jobs).toBeGreaterThan(0);
    expect(await queueOf(t, QueueName.Reminders).getDelayedCount()).toBe(jobs);
  });

  it('notices a flushed Redis, adds the schedulers and every reminder again, and delivers each once', async () => {
    const app = t!;
    const team = await makeWorkstationTeam(app);
    const api: Api = await listen(app).catch(() => new Api(`http://127.0.0.1:${(app.app.getHttpServer().address() as { port: number }).port}/api/v1`));
    const cases: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.post('/cases', { token: team.staff.token, body: caseBody(team.ws.id) });
      expect(res.status).toBe(201);
      cases.push(res.body.id);
    }
    await waitFor('enqueued', async () => {
      for (const id of cases) if (!(await remindersOf(app, id)).every((r) => r.status === 'enqueued')) return false;
      return true;
    });

    const client = new Redis(redis.url);
    await client.flushall();
    expect(await client.dbsize()).toBe(0);
    const flushedAt = Date.now();
    const [{ jobs }] = await app.db.query(`SELECT count(DISTINCT job_id)::int AS jobs FROM reminders WHERE case_id = ANY($1) AND status = 'enqueued'`, [cases]);
    expect(jobs).toBeGreaterThan(0);
    await waitFor('schedulers and reminder jobs back', async () => (await schedulerIds(app)).length === 2 && (await queueOf(app, QueueName.Reminders).getDelayedCount()) >= jobs, 60_000);
    expect(Date.now() - flushedAt).toBeLessThan(60_000);
    await client.quit();

    // Every mediation-period reminder falls due: each delivered exactly once.
    const rows = (await Promise.all(cases.map((id) => remindersOf(app, id)))).flat();
    const latest = new Date(Math.max(...rows.map((r) => r.fire_at.getTime())) + 60_000);
    await jumpTo(app, latest);
    await waitFor('every reminder delivered', async () => {
      const all = (await Promise.all(cases.map((id) => remindersOf(app, id)))).flat();
      return all.every((r) => r.status !== 'enqueued' && r.status !== 'pending');
    }, 30_000);
    for (const id of cases) {
      const notes = await notificationsOf(app, id);
      const perReminder = new Map<string, number>();
      for (const n of notes) if (n.reminder_id) perReminder.set(`${n.reminder_id}:${n.user_id}`, (perReminder.get(`${n.reminder_id}:${n.user_id}`) ?? 0) + 1);
      expect([...perReminder.values()].every((c) => c === 1)).toBe(true);
    }
  });
});
