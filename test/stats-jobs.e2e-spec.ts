import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Role } from '../src/accounts-core/role.enum';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../src/common/business-time';
import { missingJobHandlers } from '../src/queue/job-handlers';
import { JobName, QueueName } from '../src/queue/queue-names';
import { DAILY_STATS_PATTERN, DAILY_STATS_SCHEDULER_ID } from '../src/stats/stats.processor';
import { bearer, makeUser, makeWorkstationTeam } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(60_000);
const api = (path: string) => `/api/v1${path}`;

/** The statistics jobs on the real queue: the recompute request, the daily job and its scheduler. */
describe('statistics jobs (e2e)', () => {
  let t: TestApp;
  let queue: Queue;
  const NOW = new Date('2026-03-15T10:00:00+08:00');
  const TODAY = '2026-03-15';

  async function waitForJob(jobId: string): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const state = await queue.getJobState(jobId);
      if (state === 'unknown' || state === 'completed') return;
      if (state === 'failed') throw new Error(`job ${jobId} failed: ${(await queue.getJob(jobId))?.failedReason}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${jobId} did not finish`);
  }
  const coveredDays = async (): Promise<string[]> =>
    (await t.db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM stats_snapshot_days ORDER BY day`)).map((r: { day: string }) => r.day);

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.freeze(NOW);
    queue = t.app.get<Queue>(getQueueToken(QueueName.Stats));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has a handler for both statistics jobs', () => {
    expect(missingJobHandlers()).not.toContain(JobName.RecomputeStats);
    expect(missingJobHandlers()).not.toContain(JobName.DailyStatsSnapshot);
  });

  it('upserts the daily snapshot job scheduler (00:30 Asia/Shanghai) at start', async () => {
    const scheduler = await queue.getJobScheduler(DAILY_STATS_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ name: JobName.DailyStatsSnapshot, pattern: DAILY_STATS_PATTERN, tz: 'Asia/Shanghai' });
    expect(scheduler?.next).toBeGreaterThan(Date.now());
    expect(await queue.getJobSchedulersCount()).toBe(1);
  });

  it('POST /stats/recompute answers 202 with a deterministic job id, and the job snapshots the past days of the period', async () => {
    const team = await makeWorkstationTeam(t);
    const admin = await makeUser(t, Role.Admin, null);
    await t.db.query(
      `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name, respondent_name, received_at, deadline_at, concluded_at)
       VALUES ('J-1', $1, 'walk_in', 'other', 'failed', 's', 1, 'a', 'r', $2, $2, $3)`,
      [team.ws.id, startOfShanghaiDay('2026-03-01'), startOfShanghaiDay('2026-03-05')],
    );
    const body = { from: '2026-03-01', to: '2026-03-20', workstationId: team.ws.id };
    const first = await t.http.post(api('/stats/recompute')).set(bearer(team.staff)).send(body).expect(202);
    expect(first.body).toEqual({ jobId: `${JobName.RecomputeStats}_2026-03-01_2026-03-20_${team.ws.id}`, from: '2026-03-01', to: '2026-03-20' });
    const again = await t.http.post(api('/stats/recompute')).set(bearer(team.staff)).send(body).expect(202);
    expect(again.body.jobId).toBe(first.body.jobId);
    await waitForJob(first.body.jobId);
    // Today and later are always counted live: the job snapshots 2026-03-01 .. 2026-03-14 only.
    const days = await coveredDays();
    expect(days[0]).toBe('2026-03-01');
    expect(days[days.length - 1]).toBe(addDays(TODAY, -1));
    expect(days).toHaveLength(14);
    const [row] = await t.db.query(`SELECT received, concluded, failed FROM stats_daily WHERE day = '2026-03-01'`);
    expect(row).toEqual({ received: 1, concluded: 0, failed: 0 });

    const all = await t.http.post(api('/stats/recompute')).set(bearer(admin)).send({ from: '2026-02-01', to: '2026-02-28' }).expect(202);
    expect(all.body.jobId).toBe(`${JobName.RecomputeStats}_2026-02-01_2026-02-28_all`);
    await waitForJob(all.body.jobId);
    expect(await coveredDays()).toHaveLength(14 + 28);

    const summary = await t.http.get(api('/stats/summary')).query({ from: '2026-03-01', to: TODAY }).set(bearer(team.staff)).expect(200);
    expect(summary.body).toMatchObject({ received: 1, concluded: 1, failed: 1, successRate: 0, avgDaysToConclude: 4 });
  });

  it('the daily job, run by the worker, snapshots yesterday and every stale day', async () => {
    await t.db.query(`DELETE FROM stats_snapshot_days WHERE day IN ('2026-03-05', '2026-03-14')`);
    await queue.add(JobName.DailyStatsSnapshot, {}, { jobId: 'daily-in-test' });
    await waitForJob('daily-in-test');
    const days = await coveredDays();
    expect(days).toEqual(expect.arrayContaining(['2026-03-05', '2026-03-14']));
    expect(days).not.toContain(TODAY);
    expect(shanghaiDate(NOW)).toBe(TODAY);
  });

  it('forgets every snapshot when the cases are truncated (no row triggers fire on TRUNCATE)', async () => {
    expect((await coveredDays()).length).toBeGreaterThan(0);
    expect(Number((await t.db.query(`SELECT count(*) AS n FROM stats_snapshot_months`))[0].n)).toBeGreaterThan(0);
    await t.db.query(`TRUNCATE cases CASCADE`);
    expect(await coveredDays()).toEqual([]);
    expect(Number((await t.db.query(`SELECT count(*) AS n FROM stats_snapshot_months`))[0].n)).toBe(0);
    const admin = await makeUser(t, Role.Admin, null);
    const summary = await t.http.get(api('/stats/summary')).query({ from: '2026-02-01', to: TODAY }).set(bearer(admin)).expect(200);
    expect(summary.body).toMatchObject({ received: 0, concluded: 0 });
  });
});
