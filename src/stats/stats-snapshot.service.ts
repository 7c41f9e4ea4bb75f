import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays, endOfShanghaiDay, shanghaiDate, startOfShanghaiDay } from '../common/business-time';
import { Clock } from '../common/clock';
import { monthEnd, monthStart } from './stats-queries';
import { CONCLUDED_FROM, CONCLUDED_MEASURES, dayLock, IS_CONCLUDED, monthLock, shanghaiDay } from './stats-sql';

/** The daily job re-snapshots these last days even when they look current (cheap insurance). */
export const REPAIR_DAYS = 7;
/** How far back the daily job looks for days that were never snapshotted or were invalidated. */
export const MAX_CATCH_UP_DAYS = 3700;

const MEASURES = ['received', 'concluded', 'agreements', 'failed', 'withdrawn', 'confirmed', 'conclude_seconds', 'amount_agreed'];

export interface SnapshotRunResult {
  days: number;
  months: number;
  /** Snapshot rows inserted, changed or deleted (0 when the snapshots were already current). */
  changedRows: number;
}

/** Upserts `fresh` (rows of day|month, workstation_id, dispute_type and the measures) into `table` for one key, deleting vanished groups. */
function upsertSql(table: 'stats_daily' | 'stats_monthly', keyColumn: 'day' | 'month', fresh: string): string {
  const columns = MEASURES.join(', ');
  const changed = MEASURES.map((c) => `${table}.${c} IS DISTINCT FROM EXCLUDED.${c}`).join(' OR ');
  return `
    WITH fresh AS (${fresh}),
    upserted AS (
      INSERT INTO ${table} (${keyColumn}, workstation_id, dispute_type, ${columns})
      SELECT $1::date, workstation_id, dispute_type, ${columns} FROM fresh
      ON CONFLICT (${keyColumn}, workstation_id, dispute_type) DO UPDATE
      SET ${MEASURES.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()
      WHERE ${changed}
      RETURNING 1),
    deleted AS (
      DELETE FROM ${table} s WHERE s.${keyColumn} = $1::date
        AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.workstation_id = s.workstation_id AND f.dispute_type = s.dispute_type)
      RETURNING 1)
    SELECT (SELECT count(*) FROM upserted) + (SELECT count(*) FROM deleted) AS written`;
}

/** A day's figures per workstation and dispute type; $2 and $3 bound the day (bound values, so the planner sees the range). */
const DAY_FIGURES = `
  WITH received AS (
    SELECT c.workstation_id, c.dispute_type, count(*) AS received
    FROM cases c WHERE c.received_at >= $2::timestamptz AND c.received_at < $3::timestamptz
    GROUP BY 1, 2
  ),
  concluded AS (
    SELECT c.workstation_id, c.dispute_type, ${CONCLUDED_MEASURES}
    FROM ${CONCLUDED_FROM}
    WHERE c.concluded_at >= $2::timestamptz AND c.concluded_at < $3::timestamptz AND ${IS_CONCLUDED}
    GROUP BY 1, 2
  )
  SELECT workstation_id, dispute_type,
         coalesce(r.received, 0) AS received, coalesce(k.concluded, 0) AS concluded, coalesce(k.agreements, 0) AS agreements,
         coalesce(k.failed, 0) AS failed, coalesce(k.withdrawn, 0) AS withdrawn, coalesce(k.confirmed, 0) AS confirmed,
         coalesce(k.conclude_seconds, 0) AS conclude_seconds, coalesce(k.amount_agreed, 0) AS amount_agreed
  FROM received r FULL JOIN concluded k USING (workstation_id, dispute_type)`;

/** A month's figures as the sum of its daily snapshots. */
const MONTH_FIGURES = `
  SELECT workstation_id, dispute_type, ${MEASURES.map((c) => `sum(${c}) AS ${c}`).join(', ')}
  FROM stats_daily WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date
  GROUP BY 1, 2`;

/**
 * Writes the daily snapshots (stats_daily, one row per day, workstation and dispute type) and
 * their monthly rollups (stats_monthly), and marks them current (stats_snapshot_days / _months).
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
      const [{ written }] = await em.query(upsertSql('stats_daily', 'day', DAY_FIGURES), [day, startOfShanghaiDay(day), endOfShanghaiDay(day)]);
      await em.query(`INSERT INTO stats_snapshot_days (day) VALUES ($1::date) ON CONFLICT (day) DO NOTHING`, [day]);
      if (Number(written) > 0) {
        // The day was wrong (never snapshotted, or repaired): its month's rollup must be redone.
        await em.query(`SELECT pg_advisory_xact_lock_shared(${monthLock('$1')})`, [monthStart(day)]);
        await em.query(`DELETE FROM stats_snapshot_months WHERE month = $1::date`, [monthStart(day)]);
      }
      return Number(written);
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
      const [{ written }] = await em.query(upsertSql('stats_monthly', 'month', MONTH_FIGURES), [month]);
      await em.query(`INSERT INTO stats_snapshot_months (month) VALUES ($1::date) ON CONFLICT (month) DO NOTHING`, [month]);
      return Number(written);
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
