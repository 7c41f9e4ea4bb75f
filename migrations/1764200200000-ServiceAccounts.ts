import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A service account's API key: only its SHA-256 is kept (the key is 32 random bytes, shown once);
 * `key_id` is the public part of the key that finds the row. Revocation sets `revoked_at` and
 * deactivates the user row, so the guard refuses the key at once on this instance and within
 * its 5-second cache elsewhere.
 */
export class ServiceAccounts1764200200000 implements MigrationInterface {
  name = 'ServiceAccounts1764200200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE service_accounts (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        key_id varchar(32) NOT NULL UNIQUE,
        key_hash bytea NOT NULL,
        workstation_ids uuid[] NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE service_accounts`);
  }
}
