import { MigrationInterface, QueryRunner } from 'typeorm';

const APPEND_ONLY = `
  CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'case_events is append-only';
  END $$`;

/**
 * Retention (DESIGN "Security and personal data"): concluded cases older than RETENTION_YEARS
 * are anonymised. The timeline stays append-only with one deliberate exception: an UPDATE made
 * by the retention job, which sets `mediation.anonymising` for its own transaction only.
 * `cases.anonymised_at` says which cases were done (and keeps the job from doing them twice).
 */
export class Retention1764200300000 implements MigrationInterface {
  name = 'Retention1764200300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN anonymised_at timestamptz`);
    await q.query(`CREATE INDEX cases_retention_idx ON cases (concluded_at) WHERE anonymised_at IS NULL AND concluded_at IS NOT NULL`);
    await q.query(`
      CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('mediation.anonymising', true) = 'on' THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'case_events is append-only';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(APPEND_ONLY);
    await q.query(`DROP INDEX cases_retention_idx`);
    await q.query(`ALTER TABLE cases DROP COLUMN anonymised_at`);
  }
}
