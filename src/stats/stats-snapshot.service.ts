import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays, endOfShanghaiDay, shanghaiDate, startOfShanghaiDay } from '../common/business-time';
import { Clock } from '../common/clock';
import { monthEnd, monthStart, NO_MEDIATOR } from './stats-queries';
import { CONCLUDED_FROM, CONCLUDED_MEASURES, dayLock, IS_CONCLUDED, IS_RECEIVED, monthLock, shanghaiDay } from './stats-sql';

/** The daily job re-snapshots these last days even when they look current (cheap insurance). */
export const REPAIR_DAYS = 7;
/** How far back the daily job looks for days that were never snapshotted or were invalidated. */
export const MAX_CATCH_UP_DAYS = 3700;

const MEASURES = ['received', 'concluded', 'agreements', 'failed', 'withdrawn', 'confirmed', 'court_concluded', 'confirmable', 'conclude_seconds', 'amount_agreed'];

export interface SnapshotRunResult {
  days: number;
  months: number;
  /** Snapshot rows inserted, changed or deleted (0 when the snapshots were already current). */
  changedRows: number;
}

type SnapshotTable = 'stats_daily' | 'stats_monthly' | 'stats_daily_mediator' | 'stats_monthly_mediator';

/**
 * Upserts `fresh` (rows of the group columns and the measures) into `table` for the day or month
 * $1, deleting the groups that vanished; answers the number of rows written.
 */
function upsertSql(table: SnapshotTable, keyColumn: 'day' | 'month', groupColumns: readonly string[], fresh: string): string {
  const columns = MEASURES.join(', ');
  const groups = groupColumns.join(', ');
  const changed = MEASURES.map((c) => `${table}.${c} IS DISTINCT FROM EXCLUDED.${c}`).join(' OR ');
  return `
    WITH fresh AS (${fresh}),
    upserted AS (
      INSERT INTO ${table} (${keyColumn}, ${groups}, ${columns})
      SELECT $1::date, ${groups}, ${columns} FROM fresh
      ON CONFLICT (${keyColumn}, ${groups}) DO UPDATE
      SET ${MEASURES.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()
      WHERE ${changed}
      RETURNING 1),
    deleted AS (
      DELETE FROM ${table} s WHERE s.${keyColumn} = $1::date
        AND NOT EXISTS (SELECT 1 FROM fresh f WHERE ${groupColumns.map((g) => `f.${g} = s.${g}`).join(' AND ')})
      RETURNING 1)
    SELECT (SELECT count(*) FROM upserted) + (SELECT count(*) FROM deleted) AS written`;
}

/** A day's figures per group (column name -> SQL over cases c); $2 and $3 bound the day (bound values, so the planner sees the range). */
function dayFigures(groups: Readonly<Record<string, string>>): string {
  const names = Object.keys(groups);
  const select = names.map((n) => `${groups[n]} AS ${n}`).join(', ');
  const by = names.map((_, i) => i + 1).join(', ');
  return `
    WITH received AS (
      SELECT ${select}, count(*) AS received
      FROM cases c WHERE c.received_at >= $2::timestamptz AND c.received_at < $3::timestamptz AND ${IS_RECEIVED}
      GROUP BY ${by}
    ),
    concluded AS (
      SELECT ${select}, ${CONCLUDED_MEASURES}
      FROM ${CONCLUDED_FROM}
      WHERE c.concluded_at >= $2::timestamptz AND c.concluded_at < $3::timestamptz AND ${IS_CONCLUDED}
      GROUP BY ${by}
    )
    SELECT ${names.join(', ')},
           coalesce(r.received, 0) AS received, coalesce(k.concluded, 0) AS concluded, coalesce(k.agreements, 0) AS agreements,
           coalesce(k.failed, 0) AS failed, coalesce(k.withdrawn, 0) AS withdrawn, coalesce(k.confirmed, 0) AS confirmed,
           coalesce(k.court_concluded, 0) AS court_concluded, coalesce(k.confirmable, 0) AS confirmable,
           coalesce(k.conclude_seconds, 0) AS conclude_seconds, coalesce(k.amount_agreed, 0) AS amount_agreed
    FROM received r FULL JOIN concluded k USING (${names.join(', ')})`;
}

/** A month's figures as the sum of its daily snapshots. */
function monthFigures(daily: SnapshotTable, groupColumns: readonly string[]): string {
  return `
    SELECT ${groupColumns.join(', ')}, ${MEASURES.map((c) => `sum(${c}) AS ${c}`).join(', ')}
    FROM ${daily} WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date
    GROUP BY ${groupColumns.join(', ')}`;
}

/** The two families of snapshots, written together and covered by the same days and months. */
const FAMILIES: ReadonlyArray<{ daily: SnapshotTable; monthly: SnapshotTable; groups: Readonly<Record<string, string>> }> = [
  { daily: 'stats_daily', monthly: 'stats_monthly', groups: { workstation_id: 'c.workstation_id', dispute_type: 'c.dispute_type' } },
  { daily: 'stats_daily_mediator', monthly: 'stats_monthly_mediator', groups: { workstation_id: 'c.workstation_id', mediator_id: `coalesce(c.mediator_id, '${NO_MEDIATOR}'::uuid)` } },
];

/**
 * Writes the daily snapshots (stats_daily: per day, workstation and dispute type;
 * stats_daily_mediator: per day, workstation and mediator) and their monthly rollups
 * (stats_monthly, stats_monthly_mediator), and marks them current (stats_snapshot_days / _months).
 *
 * Why a snapshot can be trusted: the triggers of the StatsSnapshots migration remove a day (and,
 * since StatsMonthlyRollups, its month) from the coverage tables in the transaction of any change
 * that moves that day's figures, after taking a shared advisory lock on the day and on the month.
 * A snapshot takes the exclusive lock on its day *before* it reads the cases (READ COMMITTED: each
 * statement sees what was committed when it started), so a writer either committed before the
 * snapshot read (and is counted) or waits for the snapshot to commit and then invalidates it.
 * A rollup does the same with the month's lock, and rolls up only a month whose every day is
 * current. One day or one month per transaction, so snapshot writers hold one exclusive lock each
 * and cannot deadlock with case writers. Only past days are snapshotted: today is always live.
 *
 * Idempotent: rows are upserted only where a figure differs and rows of vanished groups deleted,
 * so running the same days twice writes nothing the second time.
 */
@Injectable()
export class StatsSnapshotService {
  private readonly logger = new Logger(StatsSnapshotService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The last day that can be snapshotted: yesterday in Shanghai. */
  lastClosedDay(): string {
    return addDays(shanghaiDate(this.clock.now()), -1);
  }

  /** Snapshots one past day (all workstations); returns the number of rows written. */
  async snapshotDay(day: string): Promise<number> {
    if (day > this.lastClosedDay()) throw new RangeError(`Cannot snapshot ${day}: only days before today are snapshotted`);
    return this.db.transaction('READ COMMITTED', async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(${dayLock('$1')})`, [day]);
      let written = 0;
      for (const family of FAMILIES) {
        const [row] = await em.query(upsertSql(family.daily, 'day', Object.keys(family.groups), dayFigures(family.groups)), [day, startOfShanghaiDay(day), endOfShanghaiDay(day)]);
        written += Number(row.written);
      }
      await em.query(`INSERT INTO stats_snapshot_days (day) VALUES ($1::date) ON CONFLICT (day) DO NOTHING`, [day]);
      if (written > 0) {
        // The day was wrong (never snapshotted, or repaired): its month's rollup must be redone.
        await em.query(`SELECT pg_advisory_xact_lock_shared(${monthLock('$1')})`, [monthStart(day)]);
        await em.query(`DELETE FROM stats_snapshot_months WHERE month = $1::date`, [monthStart(day)]);
      }
      return written;
    });
  }

  /**
   * Rolls up a past month from its daily snapshots when every day of it is current; returns the
   * rows written, or null when some day is not current (the month is then read day by day).
   */
  async rollupMonth(month: string): Promise<number | null> {
    if (monthEnd(month) > this.lastClosedDay()) return null;
    return this.db.transaction('READ COMMITTED', async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(${monthLock('$1')})`, [month]);
      const [{ current }] = await em.query(
        `SELECT count(*) = (($1::date + interval '1 month')::date - $1::date) AS current
         FROM stats_snapshot_days WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date`,
        [month],
      );
      if (!current) return null;
      let written = 0;
      for (const family of FAMILIES) {
        const groups = Object.keys(family.groups);
        const [row] = await em.query(upsertSql(family.monthly, 'month', groups, monthFigures(family.daily, groups)), [month]);
        written += Number(row.written);
      }
      await em.query(`INSERT INTO stats_snapshot_months (month) VALUES ($1::date) ON CONFLICT (month) DO NOTHING`, [month]);
      return written;
    });
  }

  /** Snapshots every day of [from, to] that is before today, then rolls up the months they complete. */
  async snapshotPeriod(from: string, to: string): Promise<SnapshotRunResult> {
    const last = to < this.lastClosedDay() ? to : this.lastClosedDay();
    const days: string[] = [];
    for (let day = from; day <= last; day = addDays(day, 1)) days.push(day);
    return this.run(days, []);
  }

  /**
   * The daily job: re-snapshots the last REPAIR_DAYS days and every earlier day that has cases but
   * no current snapshot (never taken, or invalidated by a later change such as a confirmation
   * ruling on a case concluded weeks ago), then rolls up every complete month that is not current.
   */
  async runDaily(): Promise<SnapshotRunResult> {
    const last = this.lastClosedDay();
    const repairFrom = addDays(last, -(REPAIR_DAYS - 1));
    const earliest = addDays(last, -MAX_CATCH_UP_DAYS);
    const firstCase = `greatest($1::date, coalesce((SELECT ${shanghaiDay('min(received_at)')} FROM cases), $2::date))`;
    const stale: Array<{ day: string }> = await this.db.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day
       FROM generate_series(${firstCase}::timestamp, ($2::date - 1)::timestamp, interval '1 day') d
       WHERE NOT EXISTS (SELECT 1 FROM stats_snapshot_days s WHERE s.day = d::date)`,
      [earliest, repairFrom],
    );
    const staleMonths: Array<{ month: string }> = await this.db.query(
      `SELECT to_char(m, 'YYYY-MM-DD') AS month
       FROM generate_series(date_trunc('month', ${firstCase})::timestamp, date_trunc('month', $3::date)::timestamp, interval '1 month') m
       WHERE NOT EXISTS (SELECT 1 FROM stats_snapshot_months s WHERE s.month = m::date)`,
      [earliest, repairFrom, last],
    );
    const days = stale.map((r) => r.day);
    for (let day = repairFrom; day <= last; day = addDays(day, 1)) days.push(day);
    const result = await this.run(days, staleMonths.map((m) => m.month));
    this.logger.log(`daily statistics snapshot: ${result.days} day(s), ${result.months} month(s), ${result.changedRows} row(s) changed, up to ${last}`);
    return result;
  }

  private async run(days: string[], extraMonths: string[]): Promise<SnapshotRunResult> {
    const result: SnapshotRunResult = { days: 0, months: 0, changedRows: 0 };
    for (const day of days) {
      result.changedRows += await this.snapshotDay(day);
      result.days++;
    }
    const months = [...new Set([...days.map(monthStart), ...extraMonths])].sort();
    for (const month of months) {
      const written = await this.rollupMonth(month);
      if (written === null) continue;
      result.changedRows += written;
      result.months++;
    }
    return result;
  }
}
