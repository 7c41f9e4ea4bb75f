import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays, shanghaiDate } from '../common/business-time';
import { Clock } from '../common/clock';
import { CONCLUDED_FROM, CONCLUDED_MEASURES, IS_CONCLUDED, shanghaiDay, STATS_LOCK_NAMESPACE } from './stats-sql';

/** The daily job re-snapshots these last days even when they look current (cheap insurance). */
export const REPAIR_DAYS = 7;
/** How far back the daily job looks for days that were never snapshotted or were invalidated. */
export const MAX_CATCH_UP_DAYS = 3700;

const MEASURE_COLUMNS = ['received', 'concluded', 'agreements', 'failed', 'withdrawn', 'confirmed', 'conclude_seconds', 'amount_agreed'];

export interface SnapshotRunResult {
  days: number;
  /** Snapshot rows inserted, changed or deleted (0 when the snapshots were already current). */
  changedRows: number;
}

/**
 * Writes the daily snapshots (stats_daily, one row per day, workstation and dispute type) and
 * marks the day current (stats_snapshot_days).
 *
 * Why a snapshot can be trusted: the triggers of the StatsSnapshots migration remove a day from
 * stats_snapshot_days in the transaction of any change that moves that day's figures, after taking
 * a shared advisory lock on the day. A snapshot takes the exclusive lock on its day *before* it
 * reads the cases (READ COMMITTED: each statement sees what was committed when it started), so a
 * writer either committed before the snapshot read (and is counted) or waits for the snapshot to
 * commit and then invalidates it. One day per transaction, so snapshot writers hold one lock each
 * and cannot deadlock with writers. A snapshot is only taken for past days: today is always live.
 *
 * Idempotent: rows are upserted only where a figure differs and rows of vanished groups deleted,
 * so running a day twice writes nothing the second time.
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
      await em.query(`SELECT pg_advisory_xact_lock(${STATS_LOCK_NAMESPACE}, $1::date - date '2000-01-01')`, [day]);
      const fresh = `
        WITH bounds AS (
          SELECT ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai' AS start_at,
                 ($1::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AS end_at
        ),
        received AS (
          SELECT c.workstation_id, c.dispute_type, count(*) AS received
          FROM cases c, bounds b WHERE c.received_at >= b.start_at AND c.received_at < b.end_at
          GROUP BY 1, 2
        ),
        concluded AS (
          SELECT c.workstation_id, c.dispute_type, ${CONCLUDED_MEASURES}
          FROM ${CONCLUDED_FROM}, bounds b
          WHERE c.concluded_at >= b.start_at AND c.concluded_at < b.end_at AND ${IS_CONCLUDED}
          GROUP BY 1, 2
        )
        SELECT $1::date AS day, workstation_id, dispute_type,
               coalesce(r.received, 0) AS received, coalesce(k.concluded, 0) AS concluded, coalesce(k.agreements, 0) AS agreements,
               coalesce(k.failed, 0) AS failed, coalesce(k.withdrawn, 0) AS withdrawn, coalesce(k.confirmed, 0) AS confirmed,
               coalesce(k.conclude_seconds, 0) AS conclude_seconds, coalesce(k.amount_agreed, 0) AS amount_agreed
        FROM received r FULL JOIN concluded k USING (workstation_id, dispute_type)`;
      const columns = MEASURE_COLUMNS.join(', ');
      const changed = MEASURE_COLUMNS.map((c) => `stats_daily.${c} IS DISTINCT FROM EXCLUDED.${c}`).join(' OR ');
      const [{ written }] = await em.query(
        `WITH fresh AS (${fresh}),
         upserted AS (
           INSERT INTO stats_daily (day, workstation_id, dispute_type, ${columns})
           SELECT day, workstation_id, dispute_type, ${columns} FROM fresh
           ON CONFLICT (day, workstation_id, dispute_type) DO UPDATE
           SET ${MEASURE_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()
           WHERE ${changed}
           RETURNING 1),
         deleted AS (
           DELETE FROM stats_daily s WHERE s.day = $1::date
             AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.workstation_id = s.workstation_id AND f.dispute_type = s.dispute_type)
           RETURNING 1)
         SELECT (SELECT count(*) FROM upserted) + (SELECT count(*) FROM deleted) AS written`,
        [day],
      );
      await em.query(`INSERT INTO stats_snapshot_days (day) VALUES ($1::date) ON CONFLICT (day) DO NOTHING`, [day]);
      return Number(written);
    });
  }

  /** Snapshots every day of [from, to] that is before today; later days are left to live counts. */
  async snapshotPeriod(from: string, to: string): Promise<SnapshotRunResult> {
    const last = this.lastClosedDay();
    const result: SnapshotRunResult = { days: 0, changedRows: 0 };
    for (let day = from; day <= to && day <= last; day = addDays(day, 1)) {
      result.changedRows += await this.snapshotDay(day);
      result.days++;
    }
    return result;
  }

  /**
   * The daily job: re-snapshots the last REPAIR_DAYS days (yesterday first among them) and every
   * earlier day that has cases but no current snapshot (never taken, or invalidated by a later
   * change such as a confirmation ruling on a case concluded weeks ago).
   */
  async runDaily(): Promise<SnapshotRunResult> {
    const last = this.lastClosedDay();
    const repairFrom = addDays(last, -(REPAIR_DAYS - 1));
    const earliest = addDays(last, -MAX_CATCH_UP_DAYS);
    const stale: Array<{ day: string }> = await this.db.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day
       FROM generate_series(
              greatest($1::date, coalesce((SELECT ${shanghaiDay('min(received_at)')} FROM cases), $2::date))::timestamp,
              ($2::date - 1)::timestamp, interval '1 day') d
       WHERE NOT EXISTS (SELECT 1 FROM stats_snapshot_days s WHERE s.day = d::date)`,
      [earliest, repairFrom],
    );
    const days = [...stale.map((r) => r.day)];
    for (let day = repairFrom; day <= last; day = addDays(day, 1)) days.push(day);
    const result: SnapshotRunResult = { days: 0, changedRows: 0 };
    for (const day of days) {
      result.changedRows += await this.snapshotDay(day);
      result.days++;
    }
    this.logger.log(`daily statistics snapshot: ${result.days} day(s), ${result.changedRows} row(s) changed, up to ${last}`);
    return result;
  }
}
