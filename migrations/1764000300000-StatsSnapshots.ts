import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Daily statistics snapshots and what keeps them honest.
 *
 * - `stats_daily`: per Shanghai calendar day, workstation and dispute type, the figures of the
 *   cases received that day (`received`) and of the cases concluded that day (everything else,
 *   including `confirmed`, which is counted on the day of conclusion).
 * - `stats_snapshot_days`: the days whose snapshot is complete and current. A day without a row is
 *   counted live from `cases`; the read path never trusts a day that is not listed here.
 * - Triggers on `cases` and `agreements` delete a day's row from `stats_snapshot_days` whenever a
 *   change can move that day's figures (a backdated intake, a conclusion, a confirmation ruling on a
 *   case concluded earlier, a changed amount...), in the writer's transaction. Snapshot writers
 *   take an exclusive advisory lock per day and writers a shared one, so a snapshot can never be
 *   marked current while it misses a change committed around it (see stats-snapshot.service.ts).
 */
export class StatsSnapshots1764000300000 implements MigrationInterface {
  name = 'StatsSnapshots1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_daily (
        day date NOT NULL,
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
        PRIMARY KEY (day, workstation_id, dispute_type)
      )`);
    await q.query(`CREATE INDEX stats_daily_workstation_day_idx ON stats_daily (workstation_id, day)`);

    await q.query(`
      CREATE TABLE stats_snapshot_days (
        day date PRIMARY KEY,
        computed_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Live figures for days without a current snapshot count conclusions across all workstations.
    await q.query(`CREATE INDEX cases_concluded_at_idx ON cases (concluded_at) WHERE concluded_at IS NOT NULL`);

    // Lock namespace 0x57A7 ("stat"); the second key is the day number.
    await q.query(`
      CREATE FUNCTION stats_invalidate_days(days date[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE d date;
      BEGIN
        FOR d IN SELECT DISTINCT x FROM unnest(days) x WHERE x IS NOT NULL ORDER BY 1 LOOP
          PERFORM pg_advisory_xact_lock_shared(22439, d - date '2000-01-01');
          DELETE FROM stats_snapshot_days WHERE day = d;
        END LOOP;
      END $$`);

    await q.query(`
      CREATE FUNCTION stats_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        days date[] := '{}';
        received_moved boolean := TG_OP <> 'UPDATE'
          OR (OLD.received_at, OLD.workstation_id, OLD.dispute_type) IS DISTINCT FROM (NEW.received_at, NEW.workstation_id, NEW.dispute_type);
        -- received_at counts too: the conclusion day's figures include the time to conclude.
        concluded_moved boolean := TG_OP <> 'UPDATE'
          OR (OLD.concluded_at, OLD.status, OLD.received_at, OLD.workstation_id, OLD.dispute_type)
             IS DISTINCT FROM (NEW.concluded_at, NEW.status, NEW.received_at, NEW.workstation_id, NEW.dispute_type);
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          IF received_moved THEN days := days || (OLD.received_at AT TIME ZONE 'Asia/Shanghai')::date; END IF;
          IF concluded_moved THEN days := days || (OLD.concluded_at AT TIME ZONE 'Asia/Shanghai')::date; END IF;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          IF received_moved THEN days := days || (NEW.received_at AT TIME ZONE 'Asia/Shanghai')::date; END IF;
          IF concluded_moved THEN days := days || (NEW.concluded_at AT TIME ZONE 'Asia/Shanghai')::date; END IF;
        END IF;
        PERFORM stats_invalidate_days(days);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER stats_case_inserted_or_deleted AFTER INSERT OR DELETE ON cases FOR EACH ROW EXECUTE FUNCTION stats_case_changed()`);
    // Only the columns the snapshots depend on; overdue flags, versions and notes do not invalidate.
    await q.query(`
      CREATE TRIGGER stats_case_updated AFTER UPDATE OF received_at, concluded_at, status, workstation_id, dispute_type ON cases
      FOR EACH ROW WHEN (
        OLD.received_at IS DISTINCT FROM NEW.received_at OR OLD.concluded_at IS DISTINCT FROM NEW.concluded_at
        OR OLD.status IS DISTINCT FROM NEW.status OR OLD.workstation_id IS DISTINCT FROM NEW.workstation_id
        OR OLD.dispute_type IS DISTINCT FROM NEW.dispute_type
      ) EXECUTE FUNCTION stats_case_changed()`);

    await q.query(`
      CREATE FUNCTION stats_agreement_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE days date[] := '{}';
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          days := days || ARRAY(SELECT (c.concluded_at AT TIME ZONE 'Asia/Shanghai')::date FROM cases c WHERE c.id = OLD.case_id);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
          days := days || ARRAY(SELECT (c.concluded_at AT TIME ZONE 'Asia/Shanghai')::date FROM cases c WHERE c.id = NEW.case_id);
        END IF;
        PERFORM stats_invalidate_days(days);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER stats_agreement_inserted_or_deleted AFTER INSERT OR DELETE ON agreements FOR EACH ROW EXECUTE FUNCTION stats_agreement_changed()`);
    await q.query(`
      CREATE TRIGGER stats_agreement_updated AFTER UPDATE OF agreed_amount, case_id ON agreements
      FOR EACH ROW WHEN (OLD.agreed_amount IS DISTINCT FROM NEW.agreed_amount OR OLD.case_id IS DISTINCT FROM NEW.case_id)
      EXECUTE FUNCTION stats_agreement_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER stats_agreement_updated ON agreements`);
    await q.query(`DROP TRIGGER stats_agreement_inserted_or_deleted ON agreements`);
    await q.query(`DROP FUNCTION stats_agreement_changed()`);
    await q.query(`DROP TRIGGER stats_case_updated ON cases`);
    await q.query(`DROP TRIGGER stats_case_inserted_or_deleted ON cases`);
    await q.query(`DROP FUNCTION stats_case_changed()`);
    await q.query(`DROP FUNCTION stats_invalidate_days(date[])`);
    await q.query(`DROP INDEX cases_concluded_at_idx`);
    await q.query(`DROP TABLE stats_snapshot_days`);
    await q.query(`DROP TABLE stats_daily`);
  }
}
