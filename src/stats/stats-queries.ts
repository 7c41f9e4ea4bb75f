import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { addDays, endOfShanghaiDay, startOfShanghaiDay } from '../common/business-time';
import { RawFigures, rawFiguresFromRow, RawFiguresRow } from './stats-figures';
import {
  CONCLUDED_MEASURES,
  FINAL_FIGURES,
  IS_CONCLUDED,
  OPEN_STATUS_LIST,
  shanghaiMonth,
} from './stats-sql';

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
  /** Over stats_daily s; null when snapshots do not carry this dimension. */
  snapshot: string | null;
  received: string;
  concluded: string;
}

const GROUP_KEYS: Record<StatsGrouping, GroupKeys> = {
  none: { snapshot: `''`, received: `''`, concluded: `''` },
  month: { snapshot: `to_char(s.day, 'YYYY-MM')`, received: shanghaiMonth('c.received_at'), concluded: shanghaiMonth('c.concluded_at') },
  disputeType: { snapshot: 's.dispute_type', received: 'c.dispute_type', concluded: 'c.dispute_type' },
  workstation: { snapshot: 's.workstation_id::text', received: 'c.workstation_id::text', concluded: 'c.workstation_id::text' },
  // Snapshots are per workstation and dispute type only: per-mediator figures are always live.
  mediator: { snapshot: null, received: `coalesce(c.mediator_id::text, '')`, concluded: `coalesce(c.mediator_id::text, '')` },
};

const OVERDUE_KEYS: Record<Exclude<StatsGrouping, 'month'>, string> = {
  none: `''`,
  disputeType: 'c.dispute_type',
  workstation: 'c.workstation_id::text',
  mediator: `coalesce(c.mediator_id::text, '')`,
};

/** Consecutive days as one instant range [startAt, endAt). */
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

/**
 * The statistics queries. Figures for a period are the sum of the snapshots of the days whose
 * snapshot is current (listed in stats_snapshot_days) and of live counts over `cases` for every
 * other day (today, days never snapshotted, days invalidated by a later change). Both parts are
 * read in one REPEATABLE READ transaction, so a snapshot written or invalidated meanwhile cannot
 * make a day count twice or not at all.
 */
@Injectable()
export class StatsQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async figures(period: Period, scope: StatsScope, grouping: StatsGrouping): Promise<Map<string, RawFigures>> {
    const keys = GROUP_KEYS[grouping];
    const useSnapshots = keys.snapshot !== null && scope.mediatorId === null;
    const rows = await this.db.transaction('REPEATABLE READ', async (em) => {
      await em.query('SET TRANSACTION READ ONLY');
      const covered = useSnapshots ? await this.coveredDays(em, period) : [];
      return em.query(...this.figuresSql(period, scope, keys, covered));
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

  private async coveredDays(em: EntityManager, period: Period): Promise<string[]> {
    const rows: Array<{ day: string }> = await em.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM stats_snapshot_days WHERE day BETWEEN $1::date AND $2::date ORDER BY day`,
      [period.from, period.to],
    );
    return rows.map((r) => r.day);
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

  private figuresSql(period: Period, scope: StatsScope, keys: GroupKeys, covered: string[]): [string, unknown[]] {
    const params: unknown[] = [];
    const bind = (value: unknown, cast: string) => {
      params.push(value);
      return `$${params.length}::${cast}`;
    };
    const parts: string[] = [];

    if (covered.length) {
      const conditions = [`s.day = ANY(${bind(covered, 'date[]')})`];
      if (scope.workstationId) conditions.push(`s.workstation_id = ${bind(scope.workstationId, 'uuid')}`);
      parts.push(`
        SELECT ${keys.snapshot} AS key, sum(s.received) AS received, sum(s.concluded) AS concluded, sum(s.agreements) AS agreements,
               sum(s.failed) AS failed, sum(s.withdrawn) AS withdrawn, sum(s.confirmed) AS confirmed,
               sum(s.conclude_seconds) AS conclude_seconds, sum(s.amount_agreed) AS amount_agreed
        FROM stats_daily s WHERE ${conditions.join(' AND ')} GROUP BY 1`);
    }

    const runs = uncoveredRuns(period, new Set(covered));
    if (runs.length) {
      const starts = bind(
        runs.map((r) => startOfShanghaiDay(r.first).toISOString()),
        'timestamptz[]',
      );
      const ends = bind(
        runs.map((r) => endOfShanghaiDay(r.last).toISOString()),
        'timestamptz[]',
      );
      const scopeConditions = this.caseScope(scope, params).map((c) => ` AND ${c}`).join('');
      parts.push(`
        SELECT ${keys.received} AS key, count(*) AS received, 0 AS concluded, 0 AS agreements, 0 AS failed, 0 AS withdrawn,
               0 AS confirmed, 0 AS conclude_seconds, 0 AS amount_agreed
        FROM unnest(${starts}, ${ends}) AS r(start_at, end_at)
        JOIN cases c ON c.received_at >= r.start_at AND c.received_at < r.end_at
        WHERE true${scopeConditions} GROUP BY 1`);
      parts.push(`
        SELECT ${keys.concluded} AS key, 0 AS received, ${CONCLUDED_MEASURES}
        FROM unnest(${starts}, ${ends}) AS r(start_at, end_at)
        JOIN cases c ON c.concluded_at >= r.start_at AND c.concluded_at < r.end_at
        LEFT JOIN agreements a ON a.case_id = c.id
        WHERE ${IS_CONCLUDED}${scopeConditions} GROUP BY 1`);
    }

    if (!parts.length) return [`SELECT NULL::text AS key WHERE false`, []];
    return [`SELECT key, ${FINAL_FIGURES} FROM (${parts.join(' UNION ALL ')}) parts GROUP BY key`, params];
  }
}
