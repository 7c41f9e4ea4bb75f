import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fast, exact totals for the case list on a million cases.
 *
 * - `case_counts` holds the number of cases per workstation, status and dispute type, kept by a
 *   trigger in the writer's transaction. A list filtered only by those (the usual dashboard and
 *   queue views) sums a few dozen rows instead of counting ~10^5 index entries. The trigger
 *   touches its rows in key order, so two transactions never wait on each other in a cycle.
 * - The two ordering indexes of the list carry the filter columns (INCLUDE), so that a total with
 *   a received-period filter is an index-only count, not ten thousand heap fetches.
 * - `case_number` gets a pattern index, so that looking a case up by (a prefix of) its number is
 *   an index range scan, not a trigram search over every number that shares "-2026-".
 */
export class CaseListCounts1764000600000 implements MigrationInterface {
  name = 'CaseListCounts1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_counts (
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        status varchar(32) NOT NULL,
        dispute_type varchar(32) NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (workstation_id, status, dispute_type)
      )`);
    await q.query(`
      CREATE FUNCTION case_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        k record;
      BEGIN
        FOR k IN
          SELECT ws, st, dt, sum(delta) AS delta FROM (
            SELECT OLD.workstation_id AS ws, OLD.status AS st, OLD.dispute_type AS dt, -1 AS delta WHERE TG_OP IN ('UPDATE', 'DELETE')
            UNION ALL
            SELECT NEW.workstation_id, NEW.status, NEW.dispute_type, 1 WHERE TG_OP IN ('UPDATE', 'INSERT')
          ) changes
          GROUP BY ws, st, dt HAVING sum(delta) <> 0
          ORDER BY ws, st, dt
        LOOP
          INSERT INTO case_counts (workstation_id, status, dispute_type, n) VALUES (k.ws, k.st, k.dt, k.delta)
          ON CONFLICT (workstation_id, status, dispute_type) DO UPDATE SET n = case_counts.n + EXCLUDED.n;
        END LOOP;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER case_counts_inserted_or_deleted AFTER INSERT OR DELETE ON cases FOR EACH ROW EXECUTE FUNCTION case_counts_apply()`);
    await q.query(`
      CREATE TRIGGER case_counts_updated AFTER UPDATE OF status, workstation_id, dispute_type ON cases
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.workstation_id IS DISTINCT FROM NEW.workstation_id OR OLD.dispute_type IS DISTINCT FROM NEW.dispute_type)
      EXECUTE FUNCTION case_counts_apply()`);
    await q.query(`
      INSERT INTO case_counts (workstation_id, status, dispute_type, n)
      SELECT workstation_id, status, dispute_type, count(*) FROM cases GROUP BY 1, 2, 3`);

    await q.query(`DROP INDEX cases_workstation_received_idx`);
    await q.query(`CREATE INDEX cases_workstation_received_idx ON cases (workstation_id, received_at DESC, id DESC) INCLUDE (status, dispute_type, overdue)`);
    await q.query(`DROP INDEX cases_received_idx`);
    await q.query(`CREATE INDEX cases_received_idx ON cases (received_at DESC, id DESC) INCLUDE (workstation_id, status, dispute_type, overdue)`);
    await q.query(`CREATE INDEX cases_case_number_pattern_idx ON cases (case_number varchar_pattern_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_case_number_pattern_idx`);
    await q.query(`DROP INDEX cases_received_idx`);
    await q.query(`CREATE INDEX cases_received_idx ON cases (received_at DESC, id DESC)`);
    await q.query(`DROP INDEX cases_workstation_received_idx`);
    await q.query(`CREATE INDEX cases_workstation_received_idx ON cases (workstation_id, received_at DESC, id DESC)`);
    await q.query(`DROP TRIGGER case_counts_updated ON cases`);
    await q.query(`DROP TRIGGER case_counts_inserted_or_deleted ON cases`);
    await q.query(`DROP FUNCTION case_counts_apply()`);
    await q.query(`DROP TABLE case_counts`);
  }
}
