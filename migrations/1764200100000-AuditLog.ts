import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who did or saw what, when: logins (success and failure), answers that showed a whole identity
 * number, exports, corrections, voids, account changes. Append-only like the timeline (a
 * trigger); only the retention job's anonymisation may rewrite the free text of old rows.
 */
export class AuditLog1764200100000 implements MigrationInterface {
  name = 'AuditLog1764200100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid REFERENCES users(id),
        actor_name varchar(100),
        action varchar(48) NOT NULL,
        case_id uuid,
        target_id uuid,
        ip varchar(64),
        details jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC)`);
    await q.query(`CREATE INDEX audit_log_case_idx ON audit_log (case_id, at DESC) WHERE case_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
  }
}
