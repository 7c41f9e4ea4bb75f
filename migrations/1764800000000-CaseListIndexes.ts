import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two indexes for the case list's slow filter mixes at 1M cases (issue 17, bench `list`).
 *
 * - `cases_type_received_idx` (dispute_type, received_at): the exact total of a dispute type over a
 *   received period (an admin's "wage arrears, last 90 days": 17,000 of the 50,000 cases of the
 *   period) is an index-only count of the type's own entries, instead of an index-only scan of
 *   every case of the period filtered by type on `cases_received_idx` (about 3.5 times as many
 *   entries; or a bitmap heap scan of 2,500 pages when the planner prefers one). No `id`: the count
 *   needs none, and the page of such a list walks `cases_received_idx` newest first anyway.
 * - `cases_open_workstation_received_idx` (workstation_id, received_at DESC, id DESC) over the open
 *   cases only: a workstation's work queue (`status=assigned,in_mediation`) is its newest open
 *   cases, which this walks in the list's order and stops after the page (some thirty entries), where
 *   the planner otherwise fetched all the workstation's queue (430 rows on 320 pages) to sort it. The
 *   open cases are a few thousand of the million (the last weeks' intake): a few hundred kB.
 *   Its predicate compares `status::text`: written so, PostgreSQL's own text of the index
 *   (pg_get_indexdef, which the bench generator re-creates indexes from) creates the same index
 *   again; `status IN (...)` on the varchar column comes back as a different text each time.
 *
 * Each costs one more index entry per case written (the partial one only for open cases).
 */
export class CaseListIndexes1764800000000 implements MigrationInterface {
  name = 'CaseListIndexes1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX cases_type_received_idx ON cases (dispute_type, received_at DESC)`);
    await q.query(
      `CREATE INDEX cases_open_workstation_received_idx ON cases (workstation_id, received_at DESC, id DESC) WHERE status::text IN ('registered', 'assigned', 'in_mediation')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_open_workstation_received_idx`);
    await q.query(`DROP INDEX cases_type_received_idx`);
  }
}
