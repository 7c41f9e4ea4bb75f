import { MigrationInterface, QueryRunner } from 'typeorm';

const INVALIDATE_DAYS_ONLY = `
  CREATE OR REPLACE FUNCTION stats_invalidate_days(days date[]) RETURNS void LANGUAGE plpgsql AS $$
  DECLARE d date;
  BEGIN
    FOR d IN SELECT DISTINCT x FROM unnest(days) x WHERE x IS NOT NULL ORDER BY 1 LOOP
      PERFORM pg_advisory_xact_lock_shared(22439, d - date '2000-01-01');
      DELETE FROM stats_snapshot_days WHERE day = d;
    END LOOP;
  END $$`;

/**
 * Monthly rollups of the daily statistics snapshots, so that five years of figures sum about
 * 60 rows per workstation and dispute type instead of 1,826.
 *
 * - `stats_monthly`: the sum of a month's `stats_daily` rows, written only when every day of the
 *   month has a current snapshot.
 * - `stats_snapshot_months`: the months whose rollup is current.
 * - `stats_invalidate_days` (called by the triggers on cases and agreements) now also removes the
 *   month of each day, under a shared advisory lock per month (namespace 0x57A8) that the rollup
 *   takes exclusively, as for days.
 */
export class StatsMonthlyRollups1764000550000 implements MigrationInterface {
  name = 'StatsMonthlyRollups1764000550000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_monthly (
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        dispute_type varchar(32) NOT NULL,
        received integer NOT NULL DEFAULT 0,
        concluded integer NOT NULL DEFAULT 0,
        agreements integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        withdrawn integer NOT NULL DEFAULT 0,
        confirmed integer NOT NULL DEFAULT 0,
        conclude_seconds numeric NOT NULL DEFAULT 0,
        amount_agreed numeric(18,2) NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (month, workstation_id, dispute_type)
      )`);
    await q.query(`CREATE INDEX stats_monthly_workstation_month_idx ON stats_monthly (workstation_id, month)`);
    await q.query(`
      CREATE TABLE stats_snapshot_months (
        month date PRIMARY KEY CHECK (extract(day FROM month) = 1),
        computed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE OR REPLACE FUNCTION stats_invalidate_days(days date[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE d date;
      BEGIN
        FOR d IN SELECT DISTINCT x FROM unnest(days) x WHERE x IS NOT NULL ORDER BY 1 LOOP
          PERFORM pg_advisory_xact_lock_shared(22439, d - date '2000-01-01');
          DELETE FROM stats_snapshot_days WHERE day = d;
        END LOOP;
        FOR d IN SELECT DISTINCT date_trunc('month', x)::date FROM unnest(days) x WHERE x IS NOT NULL ORDER BY 1 LOOP
          PERFORM pg_advisory_xact_lock_shared(22440, (extract(year FROM d) * 12 + extract(month FROM d) - 1)::int);
          DELETE FROM stats_snapshot_months WHERE month = d;
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(INVALIDATE_DAYS_ONLY);
    await q.query(`DROP TABLE stats_snapshot_months`);
    await q.query(`DROP TABLE stats_monthly`);
  }
}
