import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { JobName, QueueName } from '../src/queue/queue-names';
import { SWEEP_OUTBOX_EVERY_MS, SWEEP_OUTBOX_SCHEDULER_ID } from '../src/reminders/outbox-dispatcher';
import { createCase } from './utils/case-factory';
import { bearer, makeWorkstationTeam } from './utils/factories';
import { TestRedisServer } from './utils/redis-server';
import { jumpTo, RecordingSender, reminderOverrides, remindersOf, remindersQueue, sleep, waitEnqueued, waitFor } from './utils/reminders';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(60_000);

const at = (iso: string) => new Date(iso);

/** Every reminder of this kind of these cases delivered, each with exactly one notification (one recipient each). */
async function expectDeliveredExactlyOnce(t: TestApp, caseIds: string[], kind: string) {
  const rows = await waitFor(
    `every ${kind} delivered`,
    async () => {
      const all: Array<{ id: string; status: string; notifications: number }> = await t.db.query(
        `SELECT r.id, r.status, (SELECT count(*)::int FROM notifications n WHERE n.reminder_id = r.id) AS notifications
           FROM reminders r WHERE r.case_id = ANY($1) AND r.kind = $2`,
        [caseIds, kind],
      );
      return all.length === caseIds.length && all.every((r) => r.status === 'delivered') && all;
    },
    30000,
  );
  expect(rows.map((r) => r.notifications)).toEqual(rows.map(() => 1));
}

/** The mediation warning (09:00 three days before the last day), then the overdue check at expiry. */
async function expectMediationRemindersOnce(t: TestApp, caseIds: string[], deadlineAt: string) {
  const deadline = new Date(deadlineAt);
  await jumpTo(t, new Date(deadline.getTime() - (3 * 24 + 15) * 3600_000 + 100)); // 09:00 Shanghai, 3 days before the last day
  await expectDeliveredExactlyOnce(t, caseIds, 'mediation_deadline');
  await jumpTo(t, new Date(deadline.getTime() + 100));
  await expectDeliveredExactlyOnce(t, caseIds, 'mediation_overdue');
  await sleep(300);
  const [{ notifications, duplicates }] = await t.db.query(
    `SELECT count(*)::int AS notifications,
            (SELECT count(*)::int FROM (SELECT 1 FROM notifications WHERE case_id = ANY($1) AND reminder_id IS NOT NULL GROUP BY reminder_id, user_id HAVING count(*) > 1) d) AS duplicates
       FROM notifications WHERE case_id = ANY($1) AND reminder_id IS NOT NULL`,
    [caseIds],
  );
  expect({ notifications, duplicates }).toEqual({ notifications: caseIds.length * 2, duplicates: 0 });
}

describe('reminders when Redis goes away (e2e)', () => {
  let redis: TestRedisServer;
  let t: TestApp;
  const sender = new RecordingSender();

  beforeAll(async () => {
    redis = await TestRedisServer.create();
    t = await createTestApp({ redisUrl: redis.url, overrides: reminderOverrides(sender) });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('keeps writing reminders while Redis is down, never making a request wait, and delivers every one exactly once when it is back', async () => {
    const team = await makeWorkstationTeam(t);
    t.clock.set(at('2030-03-10T10:00:00+08:00'));
    const open = async () => {
      const c = await createCase(t, team.staff, team.ws.id, { receivedAt: t.clock.now().toISOString() });
      const res = await t.http.post(`/api/v1/cases/${c.id}/assign`).set(bearer(team.staff)).send({ mediatorId: team.mediator.id });
      expect(res.status).toBe(200);
      return c.id;
    };
    const before = [await open(), await open()];
    for (const id of before) await waitEnqueued(t, id);

    // Redis dies with their delayed jobs (this one keeps nothing on disk).
    await redis.stop();
    const started = Date.now();
    const during = [await open(), await open(), await open()];
    expect(Date.now() - started).toBeLessThan(8000); // six requests; one that waited on Redis would hang until it came back
    await sleep(500);
    for (const id of during) expect((await remindersOf(t, id)).map((r) => r.status)).toEqual(['pending', 'pending']);

    await redis.start();
    for (const id of during) await waitEnqueued(t, id);
    // Wait until the lost jobs were added again after the reconnect, then let the time come.
    const queue = remindersQueue(t);
    // One job per group of reminders due at the same moment (the group's id is on its rows).
    const jobs = await t.db.query(`SELECT count(DISTINCT job_id)::int AS n, count(*)::int AS rows FROM reminders WHERE case_id = ANY($1) AND status = 'enqueued'`, [[...before, ...during]]);
    expect(jobs[0].rows).toBe(10);
    expect(jobs[0].n).toBeLessThan(10);
    await waitFor('lost jobs re-added', async () => (await queue.getDelayedCount()) === jobs[0].n);
    await expectMediationRemindersOnce(t, [...before, ...during], '2030-03-25T16:00:00.000Z');
    const flagged = await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1) AND overdue`, [[...before, ...during]]);
    expect(flagged[0].n).toBe(5);
  });
});

describe('reminders across restarts (e2e)', () => {
  it('delivers reminders written by an app that stopped (outbox rows and delayed jobs) from the next app, once, and upserts the job scheduler on start', async () => {
    const first = await createTestApp({ workers: false });
    const team = await makeWorkstationTeam(first);
    first.clock.set(at('2030-04-01T10:00:00+08:00'));
    const open = async (t: TestApp) => {
      const c = await createCase(t, team.staff, team.ws.id, { receivedAt: t.clock.now().toISOString() });
      await t.http.post(`/api/v1/cases/${c.id}/assign`).set(bearer(team.staff)).send({ mediatorId: team.mediator.id }).expect(200);
      return c.id;
    };
    // An API-only app: the rows stay in the outbox.
    const a = await open(first);
    expect((await remindersOf(first, a)).map((r) => r.status)).toEqual(['pending', 'pending']);
    await first.close();

    // A worker app enqueues them, writes more, and stops with delayed jobs in Redis.
    const second = await createTestApp({ database: first.database, queuePrefix: first.queuePrefix, clock: first.clock, overrides: reminderOverrides(new RecordingSender()) });
    await waitEnqueued(second, a);
    const b = await open(second);
    await waitEnqueued(second, b);
    await second.close();

    // Someone flushes the scheduler away; the next start puts it back.
    const raw = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    const schedulerKeys = await raw.keys(`${first.queuePrefix}:${QueueName.Maintenance}:repeat*`);
    if (schedulerKeys.length) await raw.del(...schedulerKeys);
    raw.disconnect();

    const sender = new RecordingSender();
    const third = await createTestApp({ database: first.database, queuePrefix: first.queuePrefix, clock: first.clock, overrides: reminderOverrides(sender) });
    try {
      const maintenance = third.app.get<Queue>(getQueueToken(QueueName.Maintenance), { strict: false });
      const schedulers = await waitFor('scheduler upserted', async () => {
        const list = await maintenance.getJobSchedulers();
        return list.length > 0 && list;
      });
      expect(schedulers).toEqual([expect.objectContaining({ key: SWEEP_OUTBOX_SCHEDULER_ID, name: JobName.SweepOutbox, every: SWEEP_OUTBOX_EVERY_MS })]);

      await expectMediationRemindersOnce(third, [a, b], '2030-04-16T16:00:00.000Z');
      await waitFor('overdue notifications sent', async () => sender.sent.filter((s) => s.kind === 'mediation_overdue').length === 2);
    } finally {
      await third.close();
    }
  });

  it('puts a job Redis lost back on the queue from the SweepOutbox job, and retries one that used up its attempts', async () => {
    const t = await createTestApp({ overrides: reminderOverrides(new RecordingSender()) });
    try {
      const team = await makeWorkstationTeam(t);
      t.clock.set(at('2030-05-01T10:00:00+08:00'));
      const c = await createCase(t, team.staff, team.ws.id, { receivedAt: t.clock.now().toISOString() });
      await t.http.post(`/api/v1/cases/${c.id}/assign`).set(bearer(team.staff)).send({ mediatorId: team.mediator.id }).expect(200);
      const [warning, overdue] = await waitEnqueued(t, c.id);
      const queue = remindersQueue(t);
      for (const id of [warning.id, overdue.id]) await (await queue.getJob(id))!.remove();
      // Long past both times (a straggler is more than a minute late).
      t.clock.set(new Date(new Date(c.deadlineAt).getTime() + 2 * 60_000));

      // The overdue job fails its only attempt (notifications cannot be written for a while).
      await t.db.query(`CREATE FUNCTION test_notifications_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'notifications down'; END $$`);
      await t.db.query(`CREATE TRIGGER test_notifications_down BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION test_notifications_down()`);
      await queue.add(JobName.DeliverReminder, { reminderId: overdue.id }, { jobId: overdue.id, attempts: 1 });
      await waitFor('job failed', async () => (await queue.getJob(overdue.id))?.isFailed());
      await t.db.query(`DROP TRIGGER test_notifications_down ON notifications`);
      await t.db.query(`DROP FUNCTION test_notifications_down()`);
      expect((await remindersOf(t, c.id)).map((r) => r.status)).toEqual(['enqueued', 'enqueued']);

      // The job scheduler's sweep: the lost job is added again, the failed one retried.
      const maintenance = t.app.get<Queue>(getQueueToken(QueueName.Maintenance), { strict: false });
      await maintenance.add(JobName.SweepOutbox, {});
      const rows = await waitFor('both handled', async () => {
        const all = await remindersOf(t, c.id);
        return all.every((r) => r.status === 'delivered' || r.status === 'skipped') && all;
      });
      expect(rows.map((r) => [r.kind, r.status, r.skip_reason])).toEqual([
        ['mediation_deadline', 'skipped', 'deadline already passed'],
        ['mediation_overdue', 'delivered', null],
      ]);
      expect((await t.db.query(`SELECT overdue FROM cases WHERE id = $1`, [c.id]))[0].overdue).toBe(true);
    } finally {
      await t.close();
    }
  });
});
