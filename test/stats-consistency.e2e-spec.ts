import { DataSource } from 'typeorm';
import { Role } from '../src/accounts-core/role.enum';
import { CASE_STATUSES } from '../src/common/case-codes';
import { addDays, endOfShanghaiDay, shanghaiDate, startOfShanghaiDay } from '../src/common/business-time';
import { rng } from '../src/seed/demo-data';
import { answerFigures, RawFigures, rawFiguresFromRow } from '../src/stats/stats-figures';
import { StatsGrouping, StatsRepository, StatsScope } from '../src/stats/stats.repository';
import { monthsOf, Period } from '../src/stats/stats-periods';
import { StatsSnapshotService } from '../src/stats/stats-snapshot.service';
import { makeUser, makeWorkstation } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * The statistics must equal a full recount from the cases table, always: before any snapshot,
 * after snapshots, after changes that make past snapshots stale (late conclusions, confirmation
 * rulings on cases concluded weeks ago, backdated intakes, changed amounts), and while snapshots
 * are being written concurrently with such changes. The recount below is written independently of
 * src/stats (plain SQL over cases and agreements).
 */

jest.setTimeout(60_000);
const SEED = Number(process.env.STATS_SEED ?? Date.now() % 1_000_000);

// Every status code the app knows; which of them count as agreed, concluded or open is written out here, independently.
const STATUSES = CASE_STATUSES;
const AGREEMENT = ['agreement_reached', 'confirmation_requested', 'confirmation_accepted', 'confirmed', 'confirmation_rejected', 'court_concluded'];
const SOURCES = ['walk_in', 'court_assigned', 'court_entrusted'] as const;
const CONCLUDED = [...AGREEMENT, 'failed', 'withdrawn'];
const OPEN = ['registered', 'assigned', 'in_mediation'];
const DISPUTES = ['wage_arrears', 'dismissal', 'social_insurance', 'work_injury', 'overtime', 'compensation', 'other'] as const;

/** "Today" for the whole file: 2026-03-15 10:00 Shanghai. */
const NOW = new Date('2026-03-15T10:00:00+08:00');
const TODAY = '2026-03-15';
const FIRST_DAY = '2025-11-01';

interface World {
  workstations: string[];
  mediators: Array<{ id: string; ws: string }>;
}

/** Plain recount of the figures from the cases table. */
async function recount(db: DataSource, period: Period, scope: StatsScope, extra?: { column: 'dispute_type' | 'workstation_id' | 'mediator_id'; value: string | null }): Promise<RawFigures> {
  const params: unknown[] = [startOfShanghaiDay(period.from), endOfShanghaiDay(period.to)];
  const where: string[] = [];
  if (scope.workstationId) where.push(`c.workstation_id = $${params.push(scope.workstationId)}`);
  if (scope.mediatorId) where.push(`c.mediator_id = $${params.push(scope.mediatorId)}`);
  if (extra) where.push(extra.value === null ? `c.${extra.column} IS NULL` : `c.${extra.column}::text = $${params.push(extra.value)}`);
  const and = where.map((w) => ` AND ${w}`).join('');
  const list = (xs: string[]) => xs.map((x) => `'${x}'`).join(',');
  const [row] = await db.query(
    `SELECT
       (SELECT count(*) FROM cases c WHERE c.received_at >= $1 AND c.received_at < $2 AND c.status <> 'voided'${and}) AS received,
       count(c.id) AS concluded,
       count(c.id) FILTER (WHERE c.status IN (${list(AGREEMENT)})) AS agreements,
       count(c.id) FILTER (WHERE c.status = 'failed') AS failed,
       count(c.id) FILTER (WHERE c.status = 'withdrawn') AS withdrawn,
       count(c.id) FILTER (WHERE c.status = 'confirmed') AS confirmed,
       count(c.id) FILTER (WHERE c.status = 'court_concluded') AS court_concluded,
       count(c.id) FILTER (WHERE c.status IN (${list(AGREEMENT)}) AND c.source <> 'court_entrusted') AS confirmable,
       round(sum(extract(epoch FROM c.concluded_at - c.received_at)) / nullif(86400 * count(c.id), 0), 1)::text AS avg_days,
       coalesce(sum(a.agreed_amount) FILTER (WHERE c.status IN (${list(AGREEMENT)})), 0)::numeric(18,2)::text AS amount_agreed
     FROM cases c LEFT JOIN agreements a ON a.case_id = c.id
     WHERE c.concluded_at >= $1 AND c.concluded_at < $2 AND c.status IN (${list(CONCLUDED)})${and}`,
    params,
  );
  return rawFiguresFromRow(row);
}

const ZERO: RawFigures = { received: 0, concluded: 0, agreements: 0, failed: 0, withdrawn: 0, confirmed: 0, courtConcluded: 0, confirmable: 0, avgDaysToConclude: null, amountAgreed: '0.00' };

describe('statistics equal a full recount (randomized)', () => {
  let t: TestApp;
  let queries: StatsRepository;
  let snapshots: StatsSnapshotService;
  let world: World;
  const rnd = rng(SEED);
  let caseCounter = 0;

  /** Inserts `n` random cases (and their agreements) straight into the database. */
  async function insertCases(n: number, receivedFrom: string, receivedTo: string): Promise<void> {
    const span = endOfShanghaiDay(receivedTo).getTime() - startOfShanghaiDay(receivedFrom).getTime();
    const rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < n; i++) {
      const ws = rnd.pick(world.workstations);
      const status = rnd.pick(STATUSES);
      const receivedAt = new Date(Math.min(startOfShanghaiDay(receivedFrom).getTime() + Math.floor(rnd.next() * span), NOW.getTime() - 1000));
      const mediators = world.mediators.filter((m) => m.ws === ws);
      const mediator = status === 'registered' ? null : rnd.next() < 0.9 ? rnd.pick(mediators).id : null;
      // Concluded some time between receipt and now; a tenth of them today.
      let concludedAt: Date | null = null;
      if (CONCLUDED.includes(status)) {
        const latest = Math.min(receivedAt.getTime() + 40 * 86400_000, NOW.getTime() - 1000);
        concludedAt = rnd.next() < 0.1 ? new Date(Math.max(startOfShanghaiDay(TODAY).getTime(), receivedAt.getTime())) : new Date(receivedAt.getTime() + Math.floor(rnd.next() * (latest - receivedAt.getTime())));
      }
      caseCounter++;
      rows.push({
        case_number: `R-${SEED}-${caseCounter}`,
        workstation_id: ws,
        source: status === 'court_concluded' ? 'court_entrusted' : rnd.pick(SOURCES),
        dispute_type: rnd.pick(DISPUTES),
        status,
        mediator_id: mediator,
        received_at: receivedAt.toISOString(),
        deadline_at: new Date(receivedAt.getTime() + 15 * 86400_000).toISOString(),
        overdue: rnd.next() < 0.3,
        concluded_at: concludedAt?.toISOString() ?? null,
        amount: AGREEMENT.includes(status) ? `${rnd.int(0, 200000)}.${String(rnd.int(0, 99)).padStart(2, '0')}` : null,
      });
    }
    await t.db.transaction(async (em) => {
      const inserted: Array<{ id: string; case_number: string }> = await em.query(
        `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name, respondent_name,
                            mediator_id, received_at, deadline_at, overdue, concluded_at)
         SELECT r.case_number, r.workstation_id, r.source, r.dispute_type, r.status, '随机', 1000, '申请人', '被申请人',
                r.mediator_id, r.received_at, r.deadline_at, r.overdue, r.concluded_at
         FROM jsonb_to_recordset($1::jsonb) AS r(case_number text, workstation_id uuid, source text, dispute_type text, status text, mediator_id uuid,
                                                 received_at timestamptz, deadline_at timestamptz, overdue boolean, concluded_at timestamptz)
         RETURNING id, case_number`,
        [JSON.stringify(rows)],
      );
      const idByNumber = new Map(inserted.map((r) => [r.case_number, r.id]));
      const agreements = rows.filter((r) => r.amount !== null).map((r) => ({ case_id: idByNumber.get(r.case_number as string), amount: r.amount, at: r.concluded_at }));
      if (agreements.length) {
        await em.query(
          `INSERT INTO agreements (case_id, terms, agreed_amount, signed_at, effective_at)
           SELECT r.case_id, '协议', r.amount, r.at, r.at FROM jsonb_to_recordset($1::jsonb) AS r(case_id uuid, amount numeric, at timestamptz)`,
          [JSON.stringify(agreements)],
        );
      }
    });
  }

  const scopes = (): Array<[string, StatsScope]> => [
    ['all', { workstationId: null, mediatorId: null }],
    ['workstation', { workstationId: world.workstations[1], mediatorId: null }],
    ['mediator', { workstationId: world.mediators[2].ws, mediatorId: world.mediators[2].id }],
  ];

  const periods = (): Array<[string, Period]> => {
    const a = addDays(FIRST_DAY, rnd.int(0, 60));
    const b = addDays(a, rnd.int(0, 80));
    return [
      ['everything', { from: '2025-10-01', to: '2026-04-30' }],
      ['random', { from: a, to: b < TODAY ? b : TODAY }],
      ['today', { from: TODAY, to: TODAY }],
      ['one past day', { from: '2026-02-10', to: '2026-02-10' }],
      ['up to yesterday', { from: '2026-01-01', to: addDays(TODAY, -1) }],
    ];
  };

  /** Every figure of every grouping, for several scopes and periods, equals the recount. */
  async function expectEqualToRecount(label: string): Promise<void> {
    for (const [scopeName, scope] of scopes()) {
      for (const [periodName, period] of periods()) {
        const where = `${label} / ${scopeName} / ${periodName} ${period.from}..${period.to} (seed ${SEED})`;
        const summary = (await queries.figures(period, scope, 'none')).get('') ?? ZERO;
        expect({ where, figures: answerFigures(summary, 0) }).toEqual({ where, figures: answerFigures(await recount(t.db, period, scope), 0) });

        const series = await queries.figures(period, scope, 'month');
        for (const m of monthsOf(period)) {
          expect({ where, month: m.month, figures: series.get(m.month) ?? ZERO }).toEqual({ where, month: m.month, figures: await recount(t.db, m, scope) });
        }
        expect([...series.keys()].every((k) => monthsOf(period).some((m) => m.month === k))).toBe(true);

        const groupings: Array<[StatsGrouping, 'dispute_type' | 'workstation_id' | 'mediator_id', Array<string | null>]> = [
          ['disputeType', 'dispute_type', [...DISPUTES]],
          ['workstation', 'workstation_id', world.workstations],
          ['mediator', 'mediator_id', [...world.mediators.map((m) => m.id), null]],
        ];
        for (const [grouping, column, values] of groupings) {
          const rows = await queries.figures(period, scope, grouping);
          for (const value of values) {
            const key = value ?? '';
            expect({ where, grouping, key, figures: rows.get(key) ?? ZERO }).toEqual({ where, grouping, key, figures: await recount(t.db, period, scope, { column, value }) });
          }
        }
      }
    }
  }

  const coveredDays = async (): Promise<Set<string>> =>
    new Set((await t.db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM stats_snapshot_days`)).map((r: { day: string }) => r.day));
  const coveredMonths = async (): Promise<Set<string>> =>
    new Set((await t.db.query(`SELECT to_char(month, 'YYYY-MM') AS month FROM stats_snapshot_months`)).map((r: { month: string }) => r.month));
  const snapshotTables = async () => ({
    daily: await t.db.query(`SELECT * FROM stats_daily ORDER BY day, workstation_id, dispute_type`),
    monthly: await t.db.query(`SELECT * FROM stats_monthly ORDER BY month, workstation_id, dispute_type`),
    dailyByWorkstation: await t.db.query(`SELECT * FROM stats_daily_workstation ORDER BY day, workstation_id`),
    monthlyByWorkstation: await t.db.query(`SELECT * FROM stats_monthly_workstation ORDER BY month, workstation_id`),
    days: await t.db.query(`SELECT * FROM stats_snapshot_days ORDER BY day`),
    months: await t.db.query(`SELECT * FROM stats_snapshot_months ORDER BY month`),
  });

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    t.clock.freeze(NOW);
    queries = t.app.get(StatsRepository);
    snapshots = t.app.get(StatsSnapshotService);
    const workstations = await Promise.all([0, 1, 2].map(() => makeWorkstation(t)));
    const mediators: World['mediators'] = [];
    for (const ws of workstations) {
      for (let i = 0; i < 3; i++) mediators.push({ id: (await makeUser(t, Role.Mediator, ws.id)).id, ws: ws.id });
    }
    world = { workstations: workstations.map((w) => w.id), mediators };
    await insertCases(1500, FIRST_DAY, TODAY);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('counts live when there is no snapshot', async () => {
    expect(await coveredDays()).toEqual(new Set());
    await expectEqualToRecount('live only');
  });

  it('combines daily snapshots for past days with live counts for today', async () => {
    const run = await snapshots.runDaily();
    expect(run.changedRows).toBeGreaterThan(0);
    const covered = await coveredDays();
    expect(covered.has(addDays(TODAY, -1))).toBe(true);
    expect(covered.has(FIRST_DAY)).toBe(true);
    expect(covered.has(TODAY)).toBe(false);
    // Complete months are rolled up; the current one is read day by day.
    expect(await coveredMonths()).toEqual(new Set(['2025-11', '2025-12', '2026-01', '2026-02']));
    expect(run.months).toBe(4);
    await expectEqualToRecount('after the daily snapshot');
  });

  it('stays equal with a fragmented coverage (many live ranges, joined as an array)', async () => {
    const removed: string[] = [];
    for (let day = '2025-11-02'; day < '2026-03-01'; day = addDays(day, 2)) removed.push(day);
    expect(removed.length).toBeGreaterThan(48);
    await t.db.query(`DELETE FROM stats_snapshot_days WHERE day = ANY($1::date[])`, [removed]);
    await t.db.query(`DELETE FROM stats_snapshot_months`);
    await expectEqualToRecount('fragmented coverage');
    await snapshots.runDaily();
    expect(await coveredMonths()).toEqual(new Set(['2025-11', '2025-12', '2026-01', '2026-02']));
  });

  it('really reads the monthly rollups for covered months, and a rollup repairs a wrong one', async () => {
    const period = { from: '2026-01-01', to: '2026-01-31' };
    const all = { workstationId: null, mediatorId: null };
    const before = (await queries.figures(period, all, 'none')).get('')!;
    const byTypeBefore = await queries.figures(period, all, 'disputeType');
    expect(before.concluded).toBeGreaterThan(0);
    // Figures without dispute type or mediator come from the per-workstation rollups.
    await t.db.query(`UPDATE stats_monthly_workstation SET concluded = concluded + 500 WHERE ctid = (SELECT ctid FROM stats_monthly_workstation WHERE month = '2026-01-01' LIMIT 1)`);
    expect((await queries.figures(period, all, 'none')).get('')!.concluded).toBe(before.concluded + 500);
    expect(await queries.figures(period, all, 'disputeType')).toEqual(byTypeBefore);
    // A period that does not hold the whole month reads the same days from the daily snapshots.
    const partial = { from: '2026-01-01', to: '2026-01-30' };
    expect((await queries.figures(partial, all, 'none')).get('')).toEqual(await recount(t.db, partial, all));
    expect(await snapshots.rollupMonth('2026-01-01')).toBe(1);
    expect((await queries.figures(period, all, 'none')).get('')).toEqual(before);

    // Breakdowns by dispute type come from the per-dispute-type rollups.
    const [[tampered]]: [Array<{ dispute_type: string }>, number] = await t.db.query(
      `UPDATE stats_monthly SET concluded = concluded + 500 WHERE ctid = (SELECT ctid FROM stats_monthly WHERE month = '2026-01-01' LIMIT 1) RETURNING dispute_type`,
    );
    expect((await queries.figures(period, all, 'disputeType')).get(tampered.dispute_type)!.concluded).toBe(byTypeBefore.get(tampered.dispute_type)!.concluded + 500);
    expect((await queries.figures(period, all, 'none')).get('')).toEqual(before);
    expect(await snapshots.rollupMonth('2026-01-01')).toBe(1);
    expect(await queries.figures(period, all, 'disputeType')).toEqual(byTypeBefore);

    // Per-mediator figures come from the per-mediator rollups.
    const mediator = world.mediators[0].id;
    const byMediator = (await queries.figures(period, all, 'mediator')).get(mediator)!;
    await t.db.query(`UPDATE stats_monthly_mediator SET received = received + 7 WHERE month = '2026-01-01' AND mediator_id = $1`, [mediator]);
    expect((await queries.figures(period, all, 'mediator')).get(mediator)!.received).toBe(byMediator.received + 7);
    expect((await queries.figures(period, { workstationId: null, mediatorId: mediator }, 'none')).get('')!.received).toBe(byMediator.received + 7);
    expect(await snapshots.rollupMonth('2026-01-01')).toBe(1);
    expect((await queries.figures(period, all, 'mediator')).get(mediator)).toEqual(byMediator);
  });

  it('really reads the snapshots for covered days, and a snapshot run repairs a wrong one', async () => {
    const day = '2026-02-10';
    const period = { from: day, to: day };
    const all = { workstationId: null, mediatorId: null };
    const before = (await queries.figures(period, all, 'none')).get('')!;
    const byTypeBefore = await queries.figures(period, all, 'disputeType');
    expect(before.received).toBeGreaterThan(0);
    await t.db.query(`UPDATE stats_daily_workstation SET received = received + 1000 WHERE ctid = (SELECT ctid FROM stats_daily_workstation WHERE day = $1 LIMIT 1)`, [day]);
    expect((await queries.figures(period, all, 'none')).get('')!.received).toBe(before.received + 1000);
    expect(await queries.figures(period, all, 'disputeType')).toEqual(byTypeBefore);
    expect(await snapshots.snapshotDay(day)).toBe(1);
    expect((await queries.figures(period, all, 'none')).get('')).toEqual(before);
    const [[tampered]]: [Array<{ dispute_type: string }>, number] = await t.db.query(
      `UPDATE stats_daily SET received = received + 1000 WHERE ctid = (SELECT ctid FROM stats_daily WHERE day = $1 LIMIT 1) RETURNING dispute_type`,
      [day],
    );
    expect((await queries.figures(period, all, 'disputeType')).get(tampered.dispute_type)!.received).toBe(byTypeBefore.get(tampered.dispute_type)!.received + 1000);
    expect(await snapshots.snapshotDay(day)).toBe(1);
    expect(await queries.figures(period, all, 'disputeType')).toEqual(byTypeBefore);
    // The repaired day's month is rolled up again.
    expect((await coveredMonths()).has('2026-02')).toBe(false);
    expect(await snapshots.rollupMonth('2026-02-01')).toBe(0);
    expect((await coveredMonths()).has('2026-02')).toBe(true);
  });

  it('is idempotent: snapshotting the same days again writes nothing', async () => {
    const tables = await snapshotTables();
    const again = await snapshots.snapshotPeriod(FIRST_DAY, TODAY);
    expect(again.days).toBeGreaterThan(100);
    expect(again.months).toBe(4);
    expect(again.changedRows).toBe(0);
    expect((await snapshots.runDaily()).changedRows).toBe(0);
    expect(await snapshotTables()).toEqual(tables);
  });

  it('stays equal when cases change after their snapshot was taken (late rulings, backdated intakes, new conclusions, changed amounts)', async () => {
    const coveredBefore = await coveredDays();
    // A confirmation ruling on agreements concluded weeks ago: only their conclusion days go stale.
    // (TypeORM answers an UPDATE with [rows, count].)
    const [ruled]: [Array<{ day: string }>, number] = await t.db.query(
      `UPDATE cases SET status = 'confirmed', version = version + 1
       WHERE id IN (SELECT id FROM cases WHERE status = 'confirmation_requested' AND concluded_at < $1 ORDER BY case_number LIMIT 15)
       RETURNING to_char(concluded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day`,
      [startOfShanghaiDay('2026-03-01')],
    );
    expect(ruled.length).toBeGreaterThan(0);
    const afterRuling = await coveredDays();
    for (const { day } of ruled) expect(afterRuling.has(day)).toBe(false);
    const monthsAfterRuling = await coveredMonths();
    for (const { day } of ruled) expect(monthsAfterRuling.has(day.slice(0, 7))).toBe(false);
    expect(afterRuling.size).toBeGreaterThanOrEqual(coveredBefore.size - ruled.length);
    // A flag that the statistics do not snapshot does not invalidate anything.
    await t.db.query(`UPDATE cases SET overdue = NOT overdue WHERE received_at < $1`, [startOfShanghaiDay('2026-01-01')]);
    expect((await coveredDays()).size).toBe(afterRuling.size);
    await expectEqualToRecount('after late rulings');

    // Open cases concluded today, others concluded with a backdated date (agreement signed last month).
    await t.db.query(
      `UPDATE cases SET status = 'failed', concluded_at = $1 WHERE id IN (SELECT id FROM cases WHERE status IN (${OPEN.map((s) => `'${s}'`).join(',')}) ORDER BY case_number LIMIT 20)`,
      [NOW],
    );
    const backdated: Array<{ id: string; received_at: Date }> = await t.db.query(
      `SELECT id, received_at FROM cases WHERE status IN ('assigned', 'in_mediation') AND received_at < $1 ORDER BY case_number LIMIT 20`,
      [startOfShanghaiDay('2026-02-01')],
    );
    for (const [i, c] of backdated.entries()) {
      const at = new Date(c.received_at.getTime() + 3 * 86400_000);
      await t.db.transaction(async (em) => {
        // Half write the agreement before the case row, half after: both orders must invalidate.
        const agreement = () => em.query(`INSERT INTO agreements (case_id, terms, agreed_amount, signed_at, effective_at) VALUES ($1, '补签协议', $2, $3, $3)`, [c.id, `${1000 + i}.5${i % 10}`, at]);
        if (i % 2) await agreement();
        await em.query(`UPDATE cases SET status = 'agreement_reached', concluded_at = $2 WHERE id = $1`, [c.id, at]);
        if (!(i % 2)) await agreement();
      });
    }
    // Open cases received weeks ago, reassigned to another mediator of their workstation.
    const [reassigned]: [Array<{ day: string }>, number] = await t.db.query(
      `UPDATE cases c SET mediator_id = (SELECT u.id FROM users u WHERE u.workstation_id = c.workstation_id AND u.role = 'mediator' AND u.id IS DISTINCT FROM c.mediator_id ORDER BY u.id LIMIT 1)
       WHERE c.id IN (SELECT id FROM cases WHERE status IN ('assigned', 'in_mediation') AND received_at < $1 ORDER BY case_number LIMIT 10)
       RETURNING to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day`,
      [startOfShanghaiDay('2026-02-01')],
    );
    expect(reassigned.length).toBeGreaterThan(0);
    const afterReassign = await coveredDays();
    for (const { day } of reassigned) expect(afterReassign.has(day)).toBe(false);
    // Amounts corrected, dispute types reclassified, cases intaken with a past receipt date.
    await t.db.query(`UPDATE agreements SET agreed_amount = agreed_amount + 0.01 WHERE case_id IN (SELECT id FROM cases WHERE status = 'confirmed' ORDER BY case_number LIMIT 10)`);
    await t.db.query(`UPDATE cases SET dispute_type = 'other' WHERE id IN (SELECT id FROM cases WHERE dispute_type <> 'other' ORDER BY case_number LIMIT 10)`);
    await insertCases(40, '2025-12-01', '2026-02-28');
    await expectEqualToRecount('after late changes');

    // The next daily run repairs every stale day, and the figures still do not move.
    const figures = await queries.figures({ from: FIRST_DAY, to: TODAY }, { workstationId: null, mediatorId: null }, 'month');
    const run = await snapshots.runDaily();
    expect(run.changedRows).toBeGreaterThan(0);
    const covered = await coveredDays();
    for (let day = FIRST_DAY; day < TODAY; day = addDays(day, 1)) expect(covered.has(day)).toBe(true);
    expect(await coveredMonths()).toEqual(new Set(['2025-11', '2025-12', '2026-01', '2026-02']));
    expect(await queries.figures({ from: FIRST_DAY, to: TODAY }, { workstationId: null, mediatorId: null }, 'month')).toEqual(figures);
    await expectEqualToRecount('after repair');
  });

  /**
   * A case changes in a transaction that is still open while a snapshot (or rollup) of its day
   * (or month) runs: the snapshot must wait for it, and never mark the day current without it.
   */
  async function racePendingChange(snapshot: () => Promise<unknown>): Promise<void> {
    const [c] = await t.db.query(
      `SELECT id, dispute_type FROM cases WHERE concluded_at >= $1 AND concluded_at < $2 AND status IN ('failed', 'withdrawn') ORDER BY case_number LIMIT 1`,
      [startOfShanghaiDay('2026-01-10'), startOfShanghaiDay('2026-01-20')],
    );
    const writer = t.db.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction('READ COMMITTED');
      await writer.query(`UPDATE cases SET dispute_type = $2 WHERE id = $1`, [c.id, c.dispute_type === 'other' ? 'overtime' : 'other']);
      const running = snapshot();
      await new Promise((r) => setTimeout(r, 300));
      await writer.commitTransaction();
      await running;
    } finally {
      await writer.release();
    }
  }

  it('a day snapshot taken while a change of that day is uncommitted waits for it', async () => {
    await snapshots.snapshotPeriod('2026-01-01', '2026-01-31');
    const [{ day }] = await t.db.query(
      `SELECT to_char(concluded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day FROM cases
       WHERE concluded_at >= $1 AND concluded_at < $2 AND status IN ('failed', 'withdrawn') ORDER BY case_number LIMIT 1`,
      [startOfShanghaiDay('2026-01-10'), startOfShanghaiDay('2026-01-20')],
    );
    await racePendingChange(() => snapshots.snapshotDay(day));
    expect((await coveredDays()).has(day)).toBe(true);
    const all = { workstationId: null, mediatorId: null };
    for (const type of ['other', 'overtime']) {
      const period = { from: day, to: day };
      expect((await queries.figures(period, all, 'disputeType')).get(type) ?? ZERO).toEqual(await recount(t.db, period, all, { column: 'dispute_type', value: type }));
    }
  });

  it('a monthly rollup taken while a change of that month is uncommitted waits for it', async () => {
    await snapshots.snapshotPeriod('2026-01-01', '2026-01-31');
    expect((await coveredMonths()).has('2026-01')).toBe(true);
    await racePendingChange(() => snapshots.rollupMonth('2026-01-01'));
    expect((await coveredMonths()).has('2026-01')).toBe(false);
    const all = { workstationId: null, mediatorId: null };
    const period = { from: '2026-01-01', to: '2026-01-31' };
    for (const type of ['other', 'overtime']) {
      expect((await queries.figures(period, all, 'disputeType')).get(type) ?? ZERO).toEqual(await recount(t.db, period, all, { column: 'dispute_type', value: type }));
    }
    await snapshots.snapshotPeriod('2026-01-01', '2026-01-31');
    expect((await coveredMonths()).has('2026-01')).toBe(true);
  });

  it('stays equal when snapshots are written while cases change concurrently', async () => {
    await t.db.query(`DELETE FROM stats_snapshot_days WHERE day >= '2026-01-01'`);
    await t.db.query(`DELETE FROM stats_snapshot_months WHERE month >= '2026-01-01'`);
    const candidates: Array<{ id: string; status: string }> = await t.db.query(
      `SELECT id, status FROM cases WHERE received_at >= $1 AND received_at < $2 ORDER BY case_number`,
      [startOfShanghaiDay('2026-01-01'), startOfShanghaiDay(TODAY)],
    );
    const writers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = w; i < candidates.length && i < 240; i += 6) {
        const c = candidates[i];
        await t.db.transaction(async (em) => {
          const action = i % 3;
          if (action === 0) await em.query(`UPDATE cases SET dispute_type = $2 WHERE id = $1`, [c.id, DISPUTES[i % DISPUTES.length]]);
          else if (action === 1) await em.query(`UPDATE cases SET received_at = received_at - interval '1 day' WHERE id = $1`, [c.id]);
          else if (OPEN.includes(c.status)) await em.query(`UPDATE cases SET status = 'withdrawn', concluded_at = received_at + interval '2 days' WHERE id = $1 AND concluded_at IS NULL`, [c.id]);
          else await em.query(`UPDATE cases SET concluded_at = concluded_at - interval '1 day' WHERE id = $1 AND concluded_at IS NOT NULL`, [c.id]);
          // Commit a little later, so that snapshots run while the change is not committed yet.
          await em.query(`SELECT pg_sleep(0.01)`);
        });
      }
    });
    const snapshotters = [snapshots.snapshotPeriod('2026-01-01', TODAY), snapshots.snapshotPeriod('2026-01-01', TODAY), snapshots.runDaily()];
    await Promise.all([...writers, ...snapshotters]);
    await expectEqualToRecount('after concurrent snapshots and changes');
    // And once more after the daily job has rolled up whatever the writers left stale.
    await snapshots.runDaily();
    expect(await coveredMonths()).toEqual(new Set(['2025-11', '2025-12', '2026-01', '2026-02']));
    await expectEqualToRecount('after concurrent snapshots, changes and a daily run');
    expect(shanghaiDate(NOW)).toBe(TODAY);
  });
});
