import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { addDays, endOfShanghaiDay, startOfShanghaiDay } from '../common/business-time';
import { RawFigures, rawFiguresFromRow, RawFiguresRow } from './stats-figures';
import { CONCLUDED_MEASURES, FINAL_FIGURES, IS_CONCLUDED, OPEN_STATUS_LIST, shanghaiMonth } from './stats-sql';

/** Calendar dates (Asia/Shanghai), both inclusive. */
export interface Period {
  from: string;
  to: string;
}

/** Whose figures: one workstation or all (null); one mediator's cases or everyone's (null). */
export interface StatsScope {
  workstationId: string | null;
  mediatorId: string | null;
}

export type StatsGrouping = 'none' | 'month' | 'disputeType' | 'workstation' | 'mediator';

interface GroupKeys {
  /** Over a snapshot table aliased s whose date column is `dateColumn`; null when snapshots do not carry this dimension. */
  snapshot: ((dateColumn: string) => string) | null;
  received: string;
  concluded: string;
}

const GROUP_KEYS: Record<StatsGrouping, GroupKeys> = {
  none: { snapshot: () => `''`, received: `''`, concluded: `''` },
  month: { snapshot: (date) => `to_char(s.${date}, 'YYYY-MM')`, received: shanghaiMonth('c.received_at'), concluded: shanghaiMonth('c.concluded_at') },
  disputeType: { snapshot: () => 's.dispute_type', received: 'c.dispute_type', concluded: 'c.dispute_type' },
  workstation: { snapshot: () => 's.workstation_id::text', received: 'c.workstation_id::text', concluded: 'c.workstation_id::text' },
  // Snapshots are per workstation and dispute type only: per-mediator figures are always live.
  mediator: { snapshot: null, received: `coalesce(c.mediator_id::text, '')`, concluded: `coalesce(c.mediator_id::text, '')` },
};

const OVERDUE_KEYS: Record<Exclude<StatsGrouping, 'month'>, string> = {
  none: `''`,
  disputeType: 'c.dispute_type',
  workstation: 'c.workstation_id::text',
  mediator: `coalesce(c.mediator_id::text, '')`,
};

/** Above this many live ranges the live part joins an array of ranges instead of OR-ing them. */
const MAX_OR_RANGES = 48;

/** Consecutive days counted live. */
export interface DayRun {
  first: string;
  last: string;
}

/** Groups the days of the period that are not in `covered` into runs of consecutive days. */
export function uncoveredRuns(period: Period, covered: ReadonlySet<string>): DayRun[] {
  const runs: DayRun[] = [];
  let current: DayRun | null = null;
  for (let day = period.from; day <= period.to; day = addDays(day, 1)) {
    if (covered.has(day)) {
      current = null;
    } else if (current) {
      current.last = day;
    } else {
      current = { first: day, last: day };
      runs.push(current);
    }
  }
  return runs;
}

/** The first day of each month, and its last day. */
export const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`, -1);
}

interface Coverage {
  /** Months inside the period with a current rollup. */
  months: string[];
  /** Other days of the period with a current daily snapshot. */
  days: string[];
}

/**
 * The statistics queries. Figures for a period are the sum of three parts, each day in exactly
 * one: monthly rollups for whole months of the period that are current (stats_snapshot_months),
 * daily snapshots for the other days that are current (stats_snapshot_days), and live counts over
 * `cases` for every remaining day (today, days never snapshotted, days invalidated by a later
 * change). Coverage and snapshots are read in one REPEATABLE READ transaction, so a snapshot
 * written or invalidated meanwhile cannot make a day count twice or not at all.
 */
@Injectable()
export class StatsQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async figures(period: Period, scope: StatsScope, grouping: StatsGrouping): Promise<Map<string, RawFigures>> {
    const keys = GROUP_KEYS[grouping];
    const useSnapshots = keys.snapshot !== null && scope.mediatorId === null;
    const rows = await this.db.transaction('REPEATABLE READ', async (em) => {
      await em.query('SET TRANSACTION READ ONLY');
      // Short indexed queries: compiling them would cost more than running them.
      await em.query('SET LOCAL jit = off');
      const coverage = useSnapshots ? await this.coverage(em, period) : { months: [], days: [] };
      return em.query(...this.figuresSql(period, scope, keys, coverage));
    });
    const result = new Map<string, RawFigures>();
    for (const row of rows as Array<RawFiguresRow & { key: string }>) result.set(row.key, rawFiguresFromRow(row));
    return result;
  }

  /** Open cases flagged overdue now (not bound to a period). */
  async overdueOpen(scope: StatsScope, grouping: Exclude<StatsGrouping, 'month'>): Promise<Map<string, number>> {
    const params: unknown[] = [];
    const conditions = [`c.overdue`, `c.status IN ${OPEN_STATUS_LIST}`, ...this.caseScope(scope, params)];
    const rows: Array<{ key: string; n: string }> = await this.db.query(
      `SELECT ${OVERDUE_KEYS[grouping]} AS key, count(*) AS n FROM cases c WHERE ${conditions.join(' AND ')} GROUP BY 1`,
      params,
    );
    return new Map(rows.map((r) => [r.key, Number(r.n)]));
  }

  private async coverage(em: EntityManager, period: Period): Promise<Coverage> {
    const months: Array<{ month: string }> = await em.query(
      `SELECT to_char(month, 'YYYY-MM-DD') AS month FROM stats_snapshot_months
       WHERE month >= $1::date AND (month + interval '1 month')::date - 1 <= $2::date ORDER BY month`,
      [period.from, period.to],
    );
    const monthSet = new Set(months.map((m) => m.month.slice(0, 7)));
    const days: Array<{ day: string }> = await em.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM stats_snapshot_days WHERE day BETWEEN $1::date AND $2::date ORDER BY day`,
      [period.from, period.to],
    );
    return { months: months.map((m) => m.month), days: days.map((d) => d.day).filter((d) => !monthSet.has(d.slice(0, 7))) };
  }

  private caseScope(scope: StatsScope, params: unknown[]): string[] {
    const conditions: string[] = [];
    if (scope.workstationId) {
      params.push(scope.workstationId);
      conditions.push(`c.workstation_id = $${params.length}`);
    }
    if (scope.mediatorId) {
      params.push(scope.mediatorId);
      conditions.push(`c.mediator_id = $${params.length}`);
    }
    return conditions;
  }

  private figuresSql(period: Period, scope: StatsScope, keys: GroupKeys, coverage: Coverage): [string, unknown[]] {
    const params: unknown[] = [];
    const bind = (value: unknown, cast: string) => {
      params.push(value);
      return `$${params.length}::${cast}`;
    };
    const parts: string[] = [];

    const snapshotPart = (table: string, dateColumn: string, dates: string[]) => {
      const conditions = [`s.${dateColumn} = ANY(${bind(dates, 'date[]')})`];
      if (scope.workstationId) conditions.push(`s.workstation_id = ${bind(scope.workstationId, 'uuid')}`);
      return `
        SELECT ${keys.snapshot!(dateColumn)} AS key, sum(s.received) AS received, sum(s.concluded) AS concluded, sum(s.agreements) AS agreements,
               sum(s.failed) AS failed, sum(s.withdrawn) AS withdrawn, sum(s.confirmed) AS confirmed,
               sum(s.conclude_seconds) AS conclude_seconds, sum(s.amount_agreed) AS amount_agreed
        FROM ${table} s WHERE ${conditions.join(' AND ')} GROUP BY 1`;
    };
    if (coverage.months.length) parts.push(snapshotPart('stats_monthly', 'month', coverage.months));
    if (coverage.days.length) parts.push(snapshotPart('stats_daily', 'day', coverage.days));

    const covered = new Set(coverage.days);
    for (const month of coverage.months) for (let d = month; d <= monthEnd(month); d = addDays(d, 1)) covered.add(d);
    const runs = uncoveredRuns(period, covered).map((r) => ({ start: startOfShanghaiDay(r.first).toISOString(), end: endOfShanghaiDay(r.last).toISOString() }));
    if (runs.length) {
      const scopeConditions = this.caseScope(scope, params).map((c) => ` AND ${c}`).join('');
      // Few ranges: OR-ed constants, so the planner sees each range (bitmap OR of index scans).
      // Many (a fragmented coverage): a join on an array of ranges.
      let from = 'cases c';
      let inRange = (column: string) => `(${runs.map((r) => `(${column} >= ${bind(r.start, 'timestamptz')} AND ${column} < ${bind(r.end, 'timestamptz')})`).join(' OR ')})`;
      if (runs.length > MAX_OR_RANGES) {
        from = `unnest(${bind(runs.map((r) => r.start), 'timestamptz[]')}, ${bind(runs.map((r) => r.end), 'timestamptz[]')}) AS r(start_at, end_at) JOIN cases c ON true`;
        inRange = (column: string) => `${column} >= r.start_at AND ${column} < r.end_at`;
      }
      parts.push(`
        SELECT ${keys.received} AS key, count(*) AS received, 0 AS concluded, 0 AS agreements, 0 AS failed, 0 AS withdrawn,
               0 AS confirmed, 0 AS conclude_seconds, 0 AS amount_agreed
        FROM ${from}
        WHERE ${inRange('c.received_at')}${scopeConditions} GROUP BY 1`);
      parts.push(`
        SELECT ${keys.concluded} AS key, 0 AS received, ${CONCLUDED_MEASURES}
        FROM ${from} LEFT JOIN agreements a ON a.case_id = c.id
        WHERE ${inRange('c.concluded_at')} AND ${IS_CONCLUDED}${scopeConditions} GROUP BY 1`);
    }

    if (!parts.length) return [`SELECT NULL::text AS key WHERE false`, []];
    return [`SELECT key, ${FINAL_FIGURES} FROM (${parts.join(' UNION ALL ')}) parts GROUP BY key`, params];
  }
}
