import { MigrationInterface, QueryRunner } from 'typeorm';

/** The measures of every snapshot table (StatsSnapshots, StatsMonthlyRollups, CourtPaths). */
const MEASURES = `
  received integer NOT NULL DEFAULT 0,
  concluded integer NOT NULL DEFAULT 0,
  agreements integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  withdrawn integer NOT NULL DEFAULT 0,
  confirmed integer NOT NULL DEFAULT 0,
  conclude_seconds numeric NOT NULL DEFAULT 0,
  amount_agreed numeric(18,2) NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  court_concluded integer NOT NULL DEFAULT 0,
  confirmable integer NOT NULL DEFAULT 0`;

const COLUMNS = ['received', 'concluded', 'agreements', 'failed', 'withdrawn', 'confirmed', 'court_concluded', 'confirmable', 'conclude_seconds', 'amount_agreed'];

/** `target` filled from `source` (per dispute type) summed over the dispute types, in key order (a day's rows together, as the daily writer leaves them). */
const fill = (target: string, source: string, key: 'day' | 'month') => `
  INSERT INTO ${target} (${key}, workstation_id, ${COLUMNS.join(', ')}, updated_at)
  SELECT ${key}, workstation_id, ${COLUMNS.map((c) => `sum(${c})`).join(', ')}, max(updated_at)
  FROM ${source} GROUP BY ${key}, workstation_id
  ORDER BY ${key}, workstation_id`;

/**
 * Snapshots per workstation alone (daily and monthly, a third family beside the per-dispute-type
 * and per-mediator ones): the statistics that need neither the dispute type nor the mediator (the
 * summary, the monthly series, the breakdown by workstation) sum about 7 times fewer rows.
 *
 * Written in the same transactions as the other families and covered by the same
 * stats_snapshot_days / stats_snapshot_months marks (StatsSnapshotRepository's FAMILIES), so the
 * triggers that take a day or month out of the coverage take it out for this family too.
 *
 * The tables are filled here from stats_daily / stats_monthly, so every day and month already
 * marked current stays correct from the first moment. The SHARE locks keep snapshot writers out
 * while the sums are read (one that has written but not committed is waited for); case writers
 * are not held up (their triggers touch only the marks).
 */
export class StatsWorkstationSnapshots1764700000000 implements MigrationInterface {
  name = 'StatsWorkstationSnapshots1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_daily_workstation (
        day date NOT NULL,
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        ${MEASURES},
        PRIMARY KEY (day, workstation_id)
      )`);
    await q.query(`
      CREATE TABLE stats_monthly_workstation (
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        ${MEASURES},
        PRIMARY KEY (month, workstation_id)
      )`);
    await q.query(`LOCK TABLE stats_daily, stats_monthly IN SHARE MODE`);
    await q.query(fill('stats_daily_workstation', 'stats_daily', 'day'));
    await q.query(fill('stats_monthly_workstation', 'stats_monthly', 'month'));
    await q.query(`ANALYZE stats_daily_workstation`);
    await q.query(`ANALYZE stats_monthly_workstation`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stats_monthly_workstation`);
    await q.query(`DROP TABLE stats_daily_workstation`);
  }
}
