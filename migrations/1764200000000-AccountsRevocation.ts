import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts that can be revoked:
 * - `token_version`: every token carries the version it was issued under; logout, a password
 *   change or reset bump it, and the guard refuses a token of an older version.
 * - `must_change_password`: set by an admin's reset; until the user picks a new password every
 *   endpoint but the password change answers 403 PASSWORD_CHANGE_REQUIRED.
 * - `kind`: `person` (logs in with a password) or `service` (a court's or union federation's
 *   system, by API key: see ServiceAccounts). A service account is a user row, so that its
 *   actions are in the timeline and the audit log under its name like anyone's.
 * - `mediator_profiles`: the roster a workstation's union staff keep (specialties, qualifications,
 *   特邀 status, organisation); suggestions rank by the specialties.
 */
export class AccountsRevocation1764200000000 implements MigrationInterface {
  name = 'AccountsRevocation1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE users ADD COLUMN kind varchar(10) NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'service'))`);
    await q.query(`ALTER TABLE users ADD COLUMN password_changed_at timestamptz`);
    await q.query(`
      CREATE TABLE mediator_profiles (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        specialties varchar(32)[] NOT NULL DEFAULT '{}',
        qualifications varchar(500),
        invited boolean NOT NULL DEFAULT false,
        organisation varchar(200),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mediator_profiles`);
    await q.query(`ALTER TABLE users DROP COLUMN password_changed_at`);
    await q.query(`ALTER TABLE users DROP COLUMN kind`);
    await q.query(`ALTER TABLE users DROP COLUMN must_change_password`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
