import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NO_MEDIATOR } from './stats.repository';
import { monthStart } from './stats-periods';
import { CONCLUDED_FROM, CONCLUDED_MEASURES, dayLock, IS_CONCLUDED, IS_RECEIVED, monthLock, shanghaiDay } from './stats-sql';

const MEASURES = ['received', 'concluded', 'agreements', 'failed', 'withdrawn', 'confirmed', 'court_concluded', 'confirmable', 'conclude_seconds', 'amount_agreed'];

type SnapshotTable =
  | 'stats_daily'
  | 'stats_monthly'
  | 'stats_daily_mediator'
  | 'stats_monthly_mediator'
  | 'stats_daily_workstation'
  | 'stats_monthly_workstation';

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

/**
 * The families of snapshots (per dispute type, per mediator, per workstation alone), written
 * together and covered by the same days and months.
 */
const FAMILIES: ReadonlyArray<{ daily: SnapshotTable; monthly: SnapshotTable; groups: Readonly<Record<string, string>> }> = [
  { daily: 'stats_daily', monthly: 'stats_monthly', groups: { workstation_id: 'c.workstation_id', dispute_type: 'c.dispute_type' } },
  { daily: 'stats_daily_mediator', monthly: 'stats_monthly_mediator', groups: { workstation_id: 'c.workstation_id', mediator_id: `coalesce(c.mediator_id, '${NO_MEDIATOR}'::uuid)` } },
  { daily: 'stats_daily_workstation', monthly: 'stats_monthly_workstation', groups: { workstation_id: 'c.workstation_id' } },
];

/**
 * The SQL of the statistics snapshots (the policy of which days and months to write is
 * StatsSnapshotService's). Each write is one transaction under the day's or month's advisory lock.
 */
@Injectable()
export class StatsSnapshotRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Writes one day's snapshots (every family) for the instants [start, end), marks the day current
   * and, when a row changed, takes its month's rollup out of the coverage; answers the rows written.
   */
  async writeDay(day: string, start: Date, end: Date): Promise<number> {
    return this.db.transaction('READ COMMITTED', async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(${dayLock('$1')})`, [day]);
      let written = 0;
      for (const family of FAMILIES) {
        const [row]: Array<{ written: string }> = await em.query(upsertSql(family.daily, 'day', Object.keys(family.groups), dayFigures(family.groups)), [day, start, end]);
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
   * Rolls up a month ('YYYY-MM-01') from its daily snapshots when every day of it is current and
   * marks it current; answers the rows written, or null when some day is not current.
   */
  async writeMonth(month: string): Promise<number | null> {
    return this.db.transaction('READ COMMITTED', async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(${monthLock('$1')})`, [month]);
      const [{ current }]: Array<{ current: boolean }> = await em.query(
        `SELECT count(*) = (($1::date + interval '1 month')::date - $1::date) AS current
         FROM stats_snapshot_days WHERE day >= $1::date AND day < ($1::date + interval '1 month')::date`,
        [month],
      );
      if (!current) return null;
      let written = 0;
      for (const family of FAMILIES) {
        const groups = Object.keys(family.groups);
        const [row]: Array<{ written: string }> = await em.query(upsertSql(family.monthly, 'month', groups, monthFigures(family.daily, groups)), [month]);
        written += Number(row.written);
      }
      await em.query(`INSERT INTO stats_snapshot_months (month) VALUES ($1::date) ON CONFLICT (month) DO NOTHING`, [month]);
      return written;
    });
  }

  /** Days from `earliest` (or the first case's day, if later) up to the day before `before` without a current snapshot (none when there is no case). */
  async daysWithoutSnapshot(earliest: string, before: string): Promise<string[]> {
    const rows: Array<{ day: string }> = await this.db.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS day
       FROM generate_series(${FIRST_CASE_DAY}::timestamp, ($2::date - 1)::timestamp, interval '1 day') d
       WHERE NOT EXISTS (SELECT 1 FROM stats_snapshot_days s WHERE s.day = d::date)`,
      [earliest, before],
    );
    return rows.map((r) => r.day);
  }

  /**
   * Months ('YYYY-MM-01') from `earliest`'s (or the first case's; `repairFrom`'s when there is no
   * case) up to `last`'s without a current rollup.
   */
  async monthsWithoutRollup(earliest: string, repairFrom: string, last: string): Promise<string[]> {
    const rows: Array<{ month: string }> = await this.db.query(
      `SELECT to_char(m, 'YYYY-MM-DD') AS month
       FROM generate_series(date_trunc('month', ${FIRST_CASE_DAY})::timestamp, date_trunc('month', $3::date)::timestamp, interval '1 month') m
       WHERE NOT EXISTS (SELECT 1 FROM stats_snapshot_months s WHERE s.month = m::date)`,
      [earliest, repairFrom, last],
    );
    return rows.map((r) => r.month);
  }
}

/** The later of $1 and the day of the first case received ($2 when there is no case). */
const FIRST_CASE_DAY = `greatest($1::date, coalesce((SELECT ${shanghaiDay('min(received_at)')} FROM cases), $2::date))`;
