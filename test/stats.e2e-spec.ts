import { Role } from '../src/accounts-core/role.enum';
import { addDays, shanghaiDate } from '../src/common/business-time';
import { fromFen, toFen } from '../src/common/money';
import { StatsSnapshotService } from '../src/stats/stats-snapshot.service';
import { caseBody } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;
const api = (path: string) => `/api/v1${path}`;
const DAY_MS = 86400_000;
jest.setTimeout(60_000);

/** Runs `fn` over `items` with at most `limit` in flight. */
async function inPool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

describe('statistics API (e2e)', () => {
  let t: TestApp;
  let snapshots: StatsSnapshotService;
  let now: Date;
  let today: string;

  const ok = async <B = any>(res: Promise<{ status: number; body: any }> | { status: number; body: any }, step: string): Promise<B> => {
    const r = await res;
    if (r.status >= 300) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as B;
  };
  const post = (user: TestUser, path: string, body: object) => t.http.post(api(path)).set(bearer(user)).send(body);
  const get = (user: TestUser, path: string, query: Record<string, string> = {}) => t.http.get(api(path)).query(query).set(bearer(user));

  async function intake(team: Team, receivedAt: Date, overrides: Record<string, unknown> = {}): Promise<{ id: string }> {
    return ok(post(team.staff, '/cases', caseBody(team.ws.id, { receivedAt: receivedAt.toISOString(), ...overrides })), 'intake');
  }
  async function agree(team: Team, id: string, signedAt: Date, amount: string, mediator = team.mediator): Promise<void> {
    await ok(post(team.staff, `/cases/${id}/assign`, { mediatorId: mediator.id }), 'assign');
    await ok(post(mediator, `/cases/${id}/agreement`, { terms: '一次性支付', agreedAmount: amount, signedAt: signedAt.toISOString(), installments: [] }), 'agreement');
  }
  async function requestConfirmation(team: Team, id: string, appliedAt: Date, mediator = team.mediator): Promise<void> {
    await ok(post(mediator, `/cases/${id}/confirmation-request`, { appliedAt: appliedAt.toISOString() }), 'confirmation request');
  }
  async function pendingConfirmations(team: Team): Promise<Array<{ id: string; caseId: string }>> {
    const all: Array<{ id: string; caseId: string }> = [];
    for (let page = 1; ; page++) {
      const body = await ok(get(team.clerk, '/confirmations', { status: 'pending', page: String(page), pageSize: '100' }), 'confirmations');
      all.push(...body.items);
      if (body.items.length < 100) return all;
    }
  }
  async function rule(team: Team, confirmationId: string, decision: 'confirmed' | 'rejected', n: number): Promise<void> {
    // DESIGN.md: the court accepts (受理) the request before it rules.
    await ok(post(team.clerk, `/confirmations/${confirmationId}/acceptance`, { decision: 'accepted', acceptanceNumber: `(2026)测民特调确${n}号` }), 'acceptance');
    await ok(post(team.clerk, `/confirmations/${confirmationId}/ruling`, { decision, rulingNumber: `(2026)测民特${n}号`, reason: decision === 'rejected' ? '协议内容违反法律规定' : undefined }), 'ruling');
  }
  const coveredDays = async (): Promise<number> => Number((await t.db.query(`SELECT count(*) AS n FROM stats_snapshot_days`))[0].n);

  beforeAll(async () => {
    // No queue workers: the jobs are tested in stats-jobs.e2e-spec.ts; here the snapshot service runs directly.
    t = await createTestApp({ workers: false });
    now = new Date();
    t.clock.freeze(now);
    today = shanghaiDate(now);
    snapshots = t.app.get(StatsSnapshotService);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe("the seed's figure, built through the API", () => {
    let seed: Team;
    let admin: TestUser;
    let expectedAmountFen = 0n;

    beforeAll(async () => {
      seed = await makeWorkstationTeam(t);
      admin = await makeUser(t, Role.Admin, null);
    });

    it('976 concluded, 656 agreements judicially confirmed, 320 failed: successRate 0.6721, confirmationRate 1.0', async () => {
      const started = Date.now();
      const plan = Array.from({ length: 976 }, (_, i) => ({ agreement: i < 656, receivedAt: new Date(now.getTime() - (5 + (i % 80)) * DAY_MS - (i % 7) * 3600_000) }));
      await inPool(plan, 8, async (p, i) => {
        const c = await intake(seed, p.receivedAt);
        if (p.agreement) {
          const signedAt = new Date(p.receivedAt.getTime() + 2 * DAY_MS);
          const amount = `${1000 + i}.${String(i % 100).padStart(2, '0')}`;
          expectedAmountFen += toFen(amount);
          await agree(seed, c.id, signedAt, amount);
          await requestConfirmation(seed, c.id, new Date(signedAt.getTime() + DAY_MS));
        } else {
          await ok(post(seed.staff, `/cases/${c.id}/failure`, { reason: '用人单位拒绝调解' }), 'failure');
        }
      });

      // Snapshot every past day (what the recompute job does, see stats-jobs.e2e-spec.ts), then the
      // court rules on the confirmation requests: cases concluded on snapshotted days change status.
      const from = addDays(today, -100);
      expect((await snapshots.snapshotPeriod(from, today)).days).toBe(100);
      expect(await coveredDays()).toBe(100);

      const query = { from, to: today, workstationId: seed.ws.id };
      const beforeRulings = await ok(get(seed.staff, '/stats/summary', query), 'summary');
      expect(beforeRulings).toMatchObject({ concluded: 976, agreements: 656, failed: 320, confirmed: 0, successRate: 0.6721, confirmationRate: 0 });

      const pending = await pendingConfirmations(seed);
      expect(pending).toHaveLength(656);
      await inPool(pending, 8, (c, i) => rule(seed, c.id, 'confirmed', i + 1));
      expect(await coveredDays()).toBeLessThan(100);

      const summary = await ok(get(seed.staff, '/stats/summary', query), 'summary');
      expect(summary).toEqual({
        from,
        to: today,
        workstationId: seed.ws.id,
        mediatorId: null,
        received: 976,
        concluded: 976,
        agreements: 656,
        failed: 320,
        withdrawn: 0,
        confirmed: 656,
        courtConcluded: 0,
        confirmable: 656,
        consultations: 0,
        successRate: 0.6721,
        confirmationRate: 1,
        overdueOpen: 0,
        avgDaysToConclude: expect.any(Number),
        amountAgreed: fromFen(expectedAmountFen),
      });
      // The dashboard's "67.2%".
      expect((summary.successRate * 100).toFixed(1)).toBe('67.2');
      // City level and admin see the same figures for the workstation; the clerk's and the whole city's too.
      expect(await ok(get(admin, '/stats/summary', query), 'admin summary')).toEqual(summary);
      expect(await ok(get(seed.clerk, '/stats/summary', { from, to: today }), 'clerk summary')).toEqual(summary);

      // The monthly series adds up to the summary.
      const series = await ok(get(seed.staff, '/stats/timeseries', { ...query, interval: 'month' }), 'timeseries');
      const total = (k: string) => series.points.reduce((s: number, p: Record<string, number>) => s + p[k], 0);
      expect({ concluded: total('concluded'), agreements: total('agreements'), failed: total('failed'), confirmed: total('confirmed'), received: total('received') }).toEqual({
        concluded: 976,
        agreements: 656,
        failed: 320,
        confirmed: 656,
        received: 976,
      });
      expect(fromFen(series.points.reduce((s: bigint, p: { amountAgreed: string }) => s + toFen(p.amountAgreed), 0n))).toBe(fromFen(expectedAmountFen));

      // The daily job repairs what the rulings made stale; the figures do not move.
      await snapshots.runDaily();
      expect(await coveredDays()).toBe(100);
      expect(await ok(get(seed.staff, '/stats/summary', query), 'summary after repair')).toEqual(summary);
      console.log(`seed figure built through the API (about 3,900 requests, 8 in flight) and checked in ${Date.now() - started} ms`);
      // 37-59 s measured on a two-core machine shared with other suites (load 6-13); hence the margin.
    }, 180_000);
  });

  describe('withdrawn and open cases in the mix, breakdowns and scope', () => {
    let a: Team;
    let b: Team;
    let otherMediatorOfA: TestUser;
    let cityStaff: TestUser;
    let admin: TestUser;
    let period: { from: string; to: string };

    beforeAll(async () => {
      [a, b] = await Promise.all([makeWorkstationTeam(t), makeWorkstationTeam(t)]);
      otherMediatorOfA = a.mediator2;
      [cityStaff, admin] = await Promise.all([makeUser(t, Role.UnionStaff, null), makeUser(t, Role.Admin, null)]);
      // Workstation A, all received ten days ago: 10 agreements (3 confirmed, 2 rejected, 2 pending,
      // 3 without request), 6 failed, 4 withdrawn, 5 still open. Agreements are signed two days
      // after receipt, failures and withdrawals concluded today: 20 concluded in (10*2 + 10*10)/20 = 6.0 days.
      const receivedAt = new Date(now.getTime() - 10 * DAY_MS);
      const signedAt = new Date(receivedAt.getTime() + 2 * DAY_MS);
      const mediatorFor = (i: number) => (i % 2 ? otherMediatorOfA : a.mediator);
      const agreements = await inPool(Array.from({ length: 10 }, (_, i) => i), 4, async (i) => {
        const c = await intake(a, receivedAt, { disputeType: i < 6 ? 'wage_arrears' : 'dismissal' });
        await agree(a, c.id, signedAt, '1000.10', mediatorFor(i));
        if (i < 7) await requestConfirmation(a, c.id, new Date(signedAt.getTime() + DAY_MS), mediatorFor(i));
        return c.id;
      });
      const pending = await pendingConfirmations(a);
      const byCase = new Map(pending.map((p) => [p.caseId, p.id]));
      for (let i = 0; i < 5; i++) await rule(a, byCase.get(agreements[i])!, i < 3 ? 'confirmed' : 'rejected', 9000 + i);
      await inPool(Array.from({ length: 10 }, (_, i) => i), 4, async (i) => {
        const c = await intake(a, receivedAt, { disputeType: 'overtime' });
        await ok(post(a.staff, `/cases/${c.id}/${i < 6 ? 'failure' : 'withdrawal'}`, { reason: i < 6 ? '调解不成' : '申请人撤回' }), 'conclude');
      });
      const open = await inPool(Array.from({ length: 5 }, (_, i) => i), 4, async (i) => {
        const c = await intake(a, receivedAt, { disputeType: 'social_insurance' });
        if (i >= 2) await ok(post(a.staff, `/cases/${c.id}/assign`, { mediatorId: a.mediator.id }), 'assign');
        return c.id;
      });
      // Overdue is flagged by the deadline job; two open cases are overdue now.
      await t.db.query(`UPDATE cases SET overdue = true WHERE id = ANY($1::uuid[])`, [open.slice(1, 3)]);
      // Workstation B: one agreement and one open case, which A's users must never see.
      const other = await intake(b, receivedAt);
      await agree(b, other.id, signedAt, '99999.99');
      await intake(b, receivedAt);
      period = { from: addDays(today, -40), to: today };
    });

    it("answers a workstation's summary with withdrawals and open cases", async () => {
      const summary = await ok(get(a.staff, '/stats/summary', period), 'summary');
      expect(summary).toEqual({
        ...period,
        workstationId: a.ws.id,
        mediatorId: null,
        received: 25,
        concluded: 20,
        agreements: 10,
        failed: 6,
        withdrawn: 4,
        confirmed: 3,
        courtConcluded: 0,
        confirmable: 10,
        consultations: 0,
        successRate: 0.5,
        confirmationRate: 0.3,
        overdueOpen: 2,
        avgDaysToConclude: 6,
        amountAgreed: '10001.00',
      });
      // The clerk sees the same; city-level staff and admins see A and B together, or A alone.
      expect(await ok(get(a.clerk, '/stats/summary', period), 'clerk')).toEqual(summary);
      expect(await ok(get(cityStaff, '/stats/summary', { ...period, workstationId: a.ws.id }), 'city A')).toEqual(summary);
      const both = await ok(get(admin, '/stats/breakdown', { ...period, by: 'workstation' }), 'admin by workstation');
      const rowOf = (id: string) => both.rows.find((r: { workstationId: string }) => r.workstationId === id);
      expect(rowOf(a.ws.id)).toMatchObject({ code: a.ws.code, name: a.ws.name, received: 25, concluded: 20, agreements: 10, amountAgreed: '10001.00', overdueOpen: 2 });
      expect(rowOf(b.ws.id)).toMatchObject({ code: b.ws.code, received: 2, concluded: 1, agreements: 1, amountAgreed: '99999.99', successRate: 1 });
    });

    it("scopes figures: a mediator sees their own cases' figures only", async () => {
      // a.mediator: agreements 0,2,4,6,8 (confirmed: 0, 2; rejected: 4; pending: 6; none: 8) and 3 open cases assigned.
      const mine = await ok(get(a.mediator, '/stats/summary', period), 'mediator summary');
      expect(mine).toMatchObject({ workstationId: a.ws.id, mediatorId: a.mediator.id, received: 8, concluded: 5, agreements: 5, confirmed: 2, failed: 0, withdrawn: 0, successRate: 1, confirmationRate: 0.4, amountAgreed: '5000.50', overdueOpen: 1 });
      const theirs = await ok(get(otherMediatorOfA, '/stats/summary', period), 'other mediator summary');
      expect(theirs).toMatchObject({ mediatorId: otherMediatorOfA.id, received: 5, concluded: 5, agreements: 5, confirmed: 1 });
      const byMediator = await ok(get(a.mediator, '/stats/breakdown', { ...period, by: 'mediator' }), 'mediator breakdown');
      expect(byMediator.rows).toEqual([expect.objectContaining({ mediatorId: a.mediator.id, displayName: a.mediator.displayName, received: 8, concluded: 5 })]);

      const staffView = await ok(get(a.staff, '/stats/breakdown', { ...period, by: 'mediator' }), 'staff breakdown by mediator');
      const row = (id: string | null) => staffView.rows.find((r: { mediatorId: string | null }) => r.mediatorId === id);
      expect(row(a.mediator.id)).toMatchObject({ received: 8, concluded: 5, overdueOpen: 1 });
      expect(row(otherMediatorOfA.id)).toMatchObject({ received: 5, concluded: 5 });
      // Failures and withdrawals by staff on unassigned cases, and unassigned open cases: the "no mediator" row.
      expect(row(null)).toMatchObject({ displayName: null, received: 12, concluded: 10, failed: 6, withdrawn: 4, overdueOpen: 1 });
      expect(staffView.rows.some((r: { mediatorId: string }) => r.mediatorId === b.mediator.id)).toBe(false);
    });

    it('breaks down by dispute type, every type listed', async () => {
      const body = await ok(get(a.staff, '/stats/breakdown', { ...period, by: 'disputeType' }), 'by dispute type');
      expect(body.rows.map((r: { disputeType: string }) => r.disputeType)).toEqual(['wage_arrears', 'dismissal', 'social_insurance', 'work_injury', 'overtime', 'compensation', 'other']);
      const row = (type: string) => body.rows.find((r: { disputeType: string }) => r.disputeType === type);
      expect(row('wage_arrears')).toMatchObject({ received: 6, concluded: 6, agreements: 6, confirmed: 3, successRate: 1, confirmationRate: 0.5 });
      expect(row('dismissal')).toMatchObject({ received: 4, agreements: 4, confirmed: 0, amountAgreed: '4000.40' });
      expect(row('overtime')).toMatchObject({ received: 10, concluded: 10, agreements: 0, failed: 6, withdrawn: 4, successRate: 0, confirmationRate: null });
      expect(row('social_insurance')).toMatchObject({ received: 5, concluded: 0, successRate: null, avgDaysToConclude: null, overdueOpen: 2 });
      expect(row('work_injury')).toMatchObject({ received: 0, concluded: 0, amountAgreed: '0.00', overdueOpen: 0 });
    });

    it('answers one point per month, months without cases included', async () => {
      const from = `${addDays(today, -75).slice(0, 7)}-01`;
      const body = await ok(get(a.staff, '/stats/timeseries', { from, to: today, interval: 'month' }), 'timeseries');
      expect(body.points.length).toBeGreaterThanOrEqual(3);
      expect(body.points[0]).toMatchObject({ month: from.slice(0, 7), from, received: 0, concluded: 0, successRate: null, amountAgreed: '0.00' });
      expect(body.points[body.points.length - 1].to).toBe(today);
      const sum = (k: string) => body.points.reduce((s: number, p: Record<string, number>) => s + p[k], 0);
      expect([sum('received'), sum('concluded'), sum('agreements'), sum('failed'), sum('withdrawn'), sum('confirmed')]).toEqual([25, 20, 10, 6, 4, 3]);
      for (const p of body.points) expect(Object.keys(p).sort()).toEqual(expect.arrayContaining(['month', 'received', 'concluded', 'agreements', 'failed', 'withdrawn', 'confirmed', 'successRate', 'amountAgreed']));
    });

    it("answers 404 for a workstation outside the user's scope, and for one that does not exist", async () => {
      for (const user of [a.staff, a.clerk, a.mediator]) {
        const res = await get(user, '/stats/summary', { ...period, workstationId: b.ws.id }).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404 });
        await get(user, '/stats/breakdown', { ...period, by: 'disputeType', workstationId: b.ws.id }).expect(404);
        await get(user, '/stats/timeseries', { ...period, workstationId: b.ws.id }).expect(404);
      }
      await get(admin, '/stats/summary', { workstationId: '00000000-0000-4000-8000-000000000000' }).expect(404);
      await get(a.staff, '/stats/summary', { ...period, workstationId: a.ws.id }).expect(200);
      await post(a.staff, '/stats/recompute', { from: period.from, to: period.to, workstationId: b.ws.id }).expect(404);
    });

    it('rejects bad input with 400, and recompute for roles other than admin and union staff with 403', async () => {
      const bad: Array<Record<string, string>> = [
        { from: '2026-02-30' },
        { from: '2026-03-01', to: '2026-02-01' },
        { to: 'yesterday' },
        { from: '2000-01-01', to: '2026-01-01' },
        { workstationId: 'nope' },
        { unknown: '1' },
      ];
      for (const query of bad) await get(a.staff, '/stats/summary', query).expect(400);
      await get(a.staff, '/stats/breakdown', { by: 'colour' }).expect(400);
      await get(a.staff, '/stats/breakdown', {}).expect(400);
      await get(a.staff, '/stats/timeseries', { interval: 'week' }).expect(400);
      await post(a.staff, '/stats/recompute', { from: '2026-01-01' }).expect(400);
      await post(a.staff, '/stats/recompute', { from: '2026-01-01', to: '2026-01-02', extra: true }).expect(400);
      await post(a.clerk, '/stats/recompute', { from: '2026-01-01', to: '2026-01-02' }).expect(403);
      await post(a.mediator, '/stats/recompute', { from: '2026-01-01', to: '2026-01-02' }).expect(403);
      await t.http.get(api('/stats/summary')).expect(401);
    });

    it('publishes the statistics and the export in the OpenAPI document', async () => {
      const doc = (await t.http.get('/docs-json').expect(200)).body;
      for (const path of ['/api/v1/stats/summary', '/api/v1/stats/timeseries', '/api/v1/stats/breakdown', '/api/v1/cases/export.csv']) expect(doc.paths[path]?.get).toBeDefined();
      expect(doc.paths['/api/v1/stats/recompute'].post.responses['202']).toBeDefined();
      expect(Object.keys(doc.paths['/api/v1/cases/export.csv'].get.responses['200'].content)).toEqual(['text/csv']);
      expect(doc.components.schemas.StatsSummaryDto.properties).toHaveProperty('successRate');
    });

    it('defaults the period to the current year up to today', async () => {
      const body = await ok(get(a.staff, '/stats/summary'), 'default period');
      expect(body).toMatchObject({ from: `${today.slice(0, 4)}-01-01`, to: today });
    });

    it('answers the same from the snapshots as live, and the per-workstation snapshots are the per-dispute-type ones summed', async () => {
      const long = { from: addDays(today, -100), to: today };
      const requests: Array<[TestUser, string, Record<string, string>]> = [
        [admin, '/stats/summary', long],
        [admin, '/stats/summary', { ...long, workstationId: a.ws.id }],
        [a.staff, '/stats/summary', long],
        [cityStaff, '/stats/summary', period],
        [admin, '/stats/timeseries', { ...long, interval: 'month' }],
        [a.staff, '/stats/timeseries', { ...long, interval: 'month' }],
        [admin, '/stats/breakdown', { ...long, by: 'workstation' }],
        [admin, '/stats/breakdown', { ...long, by: 'disputeType' }],
        [a.staff, '/stats/breakdown', { ...long, by: 'mediator' }],
        [a.mediator, '/stats/summary', long],
      ];
      const answers = () => Promise.all(requests.map(([user, path, query]) => ok(get(user, path, query), `${path} ${JSON.stringify(query)}`)));
      // Live: no day or month is current.
      await t.db.query(`DELETE FROM stats_snapshot_months`);
      await t.db.query(`DELETE FROM stats_snapshot_days`);
      const live = await answers();
      expect(live[0].received).toBeGreaterThan(0);

      await snapshots.snapshotPeriod(long.from, today);
      expect(await coveredDays()).toBe(100);
      expect(Number((await t.db.query(`SELECT count(*) AS n FROM stats_snapshot_months`))[0].n)).toBeGreaterThan(0);
      expect(await answers()).toEqual(live);

      const measures = ['received', 'concluded', 'agreements', 'failed', 'withdrawn', 'confirmed', 'court_concluded', 'confirmable', 'conclude_seconds', 'amount_agreed'];
      const summed = (table: string, date: string) =>
        t.db.query(`SELECT ${date}, workstation_id, ${measures.map((m) => `sum(${m})::text AS ${m}`).join(', ')} FROM ${table} GROUP BY 1, 2 ORDER BY 1, 2`);
      const daily = await summed('stats_daily_workstation', 'day');
      expect(daily.length).toBeGreaterThan(0);
      expect(daily).toEqual(await summed('stats_daily', 'day'));
      const monthly = await summed('stats_monthly_workstation', 'month');
      expect(monthly.length).toBeGreaterThan(0);
      expect(monthly).toEqual(await summed('stats_monthly', 'month'));
      // One row per day (month) and workstation.
      expect(Number((await t.db.query(`SELECT count(*) AS n FROM stats_daily_workstation`))[0].n)).toBe(daily.length);
    });
  });
});
