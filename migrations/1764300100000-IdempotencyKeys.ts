import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key` (DESIGN.md: a retried intake returns the first answer). One row per user and
 * key: the request's fingerprint (method, path, body), then the first answer (status and body).
 * The primary key settles concurrent duplicates; `applied_case_id` is set in the transaction of
 * the case change itself, so a request whose change committed but whose answer was never stored
 * (the process died in between) is never run a second time. Rows are kept 24 h at least.
 */
export class IdempotencyKeys1764300100000 implements MigrationInterface {
  name = 'IdempotencyKeys1764300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL,
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        state varchar(12) NOT NULL DEFAULT 'in_progress' CHECK (state IN ('in_progress', 'completed')),
        status_code int,
        response_body text,
        applied_case_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
