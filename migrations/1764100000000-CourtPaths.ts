import { MigrationInterface, QueryRunner } from 'typeorm';
import { SEEDED_HOLIDAYS } from '../src/holidays/holiday-calendar-data';

const SNAPSHOT_TABLES = ['stats_daily', 'stats_monthly', 'stats_daily_mediator', 'stats_monthly_mediator'];
const OLD_STATUSES = `'registered', 'assigned', 'in_mediation', 'agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'`;
const NEW_STATUSES = `${OLD_STATUSES}, 'confirmation_accepted', 'court_concluded', 'voided'`;

/**
 * The court paths by the law (issue 12):
 * - cases: the new states (confirmation_accepted, court_concluded, voided); parties of either
 *   kind with service address, agent and representatives; the failure's hand-off; the court's
 *   outcome of an entrusted case; voiding; the waiver of judicial confirmation.
 * - confirmations: acceptance (受理, 调确 number) or non-acceptance, the ruling period from
 *   acceptance and its one extension, the joint applicants; agreements and confirmations can be
 *   superseded by a renegotiation (one current each per case).
 * - statistics snapshots: `court_concluded` and `confirmable` measures (the snapshots are marked
 *   stale so that the daily job recomputes them).
 * - consultations, and the holiday calendar seeded with the 2025 and 2026 arrangements.
 */
export class CourtPaths1764100000000 implements MigrationInterface {
  name = 'CourtPaths1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP CONSTRAINT cases_status_check`);
    await q.query(`ALTER TABLE cases ADD CONSTRAINT cases_status_check CHECK (status IN (${NEW_STATUSES}))`);
    await q.query(`
      ALTER TABLE cases
        ADD COLUMN applicant_kind varchar(16) NOT NULL DEFAULT 'worker' CHECK (applicant_kind IN ('worker', 'employer')),
        ADD COLUMN applicant_credit_code varchar(32),
        ADD COLUMN applicant_address varchar(300),
        ADD COLUMN applicant_agent jsonb,
        ADD COLUMN respondent_id_number varchar(32),
        ADD COLUMN respondent_address varchar(300),
        ADD COLUMN respondent_agent jsonb,
        ADD COLUMN representatives jsonb,
        ADD COLUMN hand_off varchar(24) CHECK (hand_off IN ('returned_to_court', 'arbitration', 'none')),
        ADD COLUMN court_outcome varchar(24) CHECK (court_outcome IN ('mediation_document', 'suit_withdrawn')),
        ADD COLUMN court_document_number varchar(100),
        ADD COLUMN court_outcome_date date,
        ADD COLUMN voided_at timestamptz,
        ADD COLUMN void_reason text,
        ADD COLUMN confirmation_waived_at timestamptz`);

    await q.query(`ALTER TABLE confirmations DROP CONSTRAINT confirmations_status_check`);
    await q.query(`ALTER TABLE confirmations ADD CONSTRAINT confirmations_status_check CHECK (status IN ('pending', 'accepted', 'confirmed', 'rejected'))`);
    await q.query(`
      ALTER TABLE confirmations
        ADD COLUMN court varchar(200),
        ADD COLUMN applicants jsonb,
        ADD COLUMN acceptance_due_at timestamptz,
        ADD COLUMN accepted_at timestamptz,
        ADD COLUMN acceptance_number varchar(100),
        ADD COLUMN accepted_by uuid REFERENCES users(id),
        ADD COLUMN declined_at timestamptz,
        ADD COLUMN ruling_due_at timestamptz,
        ADD COLUMN ruling_extended_at timestamptz,
        ADD COLUMN ruling_extension_reason text,
        ADD COLUMN superseded_at timestamptz`);
    // Requests made before acceptance existed were ruled on directly: their period ran from the application.
    await q.query(`UPDATE confirmations SET acceptance_due_at = applied_at + interval '3 days', ruling_due_at = applied_at + interval '15 days'`);
    await q.query(`ALTER TABLE confirmations DROP CONSTRAINT confirmations_case_key`);
    await q.query(`CREATE UNIQUE INDEX confirmations_case_current_key ON confirmations (case_id) WHERE superseded_at IS NULL`);
    await q.query(`ALTER TABLE agreements ADD COLUMN superseded_at timestamptz, ADD COLUMN signatories jsonb`);
    await q.query(`ALTER TABLE agreements DROP CONSTRAINT agreements_case_key`);
    await q.query(`CREATE UNIQUE INDEX agreements_case_current_key ON agreements (case_id) WHERE superseded_at IS NULL`);

    for (const table of SNAPSHOT_TABLES) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN court_concluded integer NOT NULL DEFAULT 0, ADD COLUMN confirmable integer NOT NULL DEFAULT 0`);
    }
    // Every snapshot lacks the new measures (and counted voided entries nowhere yet): recompute them all.
    await q.query(`DELETE FROM stats_snapshot_months`);
    await q.query(`DELETE FROM stats_snapshot_days`);

    await q.query(`
      CREATE TABLE consultations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        consulted_at timestamptz NOT NULL,
        channel varchar(16) NOT NULL CHECK (channel IN ('window', 'hotline', 'visit')),
        name varchar(100) NOT NULL,
        phone varchar(20),
        employer varchar(200),
        question text NOT NULL,
        advice text,
        outcome varchar(32) NOT NULL CHECK (outcome IN ('advice_only', 'referred_to_arbitration', 'referred_to_legal_aid', 'converted')),
        case_id uuid REFERENCES cases(id),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT consultations_converted_has_case CHECK ((outcome = 'converted') = (case_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX consultations_workstation_at_idx ON consultations (workstation_id, consulted_at DESC)`);
    await q.query(`CREATE INDEX consultations_at_idx ON consultations (consulted_at)`);

    await q.query(`
      CREATE TABLE holidays (
        day date PRIMARY KEY,
        kind varchar(16) NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name varchar(100) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO holidays (day, kind, name) SELECT * FROM unnest($1::date[], $2::varchar[], $3::varchar[])`,
      [SEEDED_HOLIDAYS.map((h) => h.day), SEEDED_HOLIDAYS.map((h) => h.kind), SEEDED_HOLIDAYS.map((h) => h.name)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE holidays`);
    await q.query(`DROP TABLE consultations`);
    for (const table of SNAPSHOT_TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN court_concluded, DROP COLUMN confirmable`);
    await q.query(`DELETE FROM stats_snapshot_months`);
    await q.query(`DELETE FROM stats_snapshot_days`);
    await q.query(`DELETE FROM installments WHERE agreement_id IN (SELECT id FROM agreements WHERE superseded_at IS NOT NULL)`);
    await q.query(`DELETE FROM agreements WHERE superseded_at IS NOT NULL`);
    await q.query(`DROP INDEX agreements_case_current_key`);
    await q.query(`ALTER TABLE agreements ADD CONSTRAINT agreements_case_key UNIQUE (case_id)`);
    await q.query(`ALTER TABLE agreements DROP COLUMN superseded_at, DROP COLUMN signatories`);
    await q.query(`DELETE FROM confirmations WHERE superseded_at IS NOT NULL`);
    await q.query(`DROP INDEX confirmations_case_current_key`);
    await q.query(`ALTER TABLE confirmations ADD CONSTRAINT confirmations_case_key UNIQUE (case_id)`);
    await q.query(`UPDATE confirmations SET status = 'pending' WHERE status = 'accepted'`);
    await q.query(`ALTER TABLE confirmations DROP CONSTRAINT confirmations_status_check`);
    await q.query(`ALTER TABLE confirmations ADD CONSTRAINT confirmations_status_check CHECK (status IN ('pending', 'confirmed', 'rejected'))`);
    await q.query(`
      ALTER TABLE confirmations
        DROP COLUMN court, DROP COLUMN applicants, DROP COLUMN acceptance_due_at, DROP COLUMN accepted_at, DROP COLUMN acceptance_number,
        DROP COLUMN accepted_by, DROP COLUMN declined_at, DROP COLUMN ruling_due_at, DROP COLUMN ruling_extended_at,
        DROP COLUMN ruling_extension_reason, DROP COLUMN superseded_at`);
    // The old lifecycle has no place for the new states: the nearest old one.
    await q.query(`UPDATE cases SET status = CASE status WHEN 'confirmation_accepted' THEN 'confirmation_requested' WHEN 'court_concluded' THEN 'agreement_reached' ELSE 'withdrawn' END
                   WHERE status IN ('confirmation_accepted', 'court_concluded', 'voided')`);
    await q.query(`ALTER TABLE cases DROP CONSTRAINT cases_status_check`);
    await q.query(`ALTER TABLE cases ADD CONSTRAINT cases_status_check CHECK (status IN (${OLD_STATUSES}))`);
    await q.query(`
      ALTER TABLE cases
        DROP COLUMN applicant_kind, DROP COLUMN applicant_credit_code, DROP COLUMN applicant_address, DROP COLUMN applicant_agent,
        DROP COLUMN respondent_id_number, DROP COLUMN respondent_address, DROP COLUMN respondent_agent, DROP COLUMN representatives,
        DROP COLUMN hand_off, DROP COLUMN court_outcome, DROP COLUMN court_document_number, DROP COLUMN court_outcome_date,
        DROP COLUMN voided_at, DROP COLUMN void_reason, DROP COLUMN confirmation_waived_at`);
  }
}
