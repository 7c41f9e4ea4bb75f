import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole domain schema: accounts, cases and their lifecycle records, the append-only
 * timeline, the reminder outbox and notifications. Enumerations are CHECK constraints on text
 * (cheaper to extend than PostgreSQL enums). Money is numeric(14,2); every time is timestamptz.
 */
export class Init1764000000000 implements MigrationInterface {
  name = 'Init1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE workstations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(32) NOT NULL,
        name varchar(200) NOT NULL,
        court varchar(200) NOT NULL,
        union_name varchar(200) NOT NULL,
        region varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT workstations_code_key UNIQUE (code)
      )`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL,
        password_hash text NOT NULL,
        display_name varchar(100) NOT NULL,
        role varchar(20) NOT NULL CHECK (role IN ('admin', 'union_staff', 'mediator', 'court_clerk')),
        workstation_id uuid REFERENCES workstations(id),
        phone varchar(32),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_workstation_required CHECK (role IN ('admin', 'union_staff') OR workstation_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);
    await q.query(`CREATE INDEX users_workstation_role_idx ON users (workstation_id, role)`);

    // One row per workstation and year; incremented under a row lock so that case numbers are gap-free.
    await q.query(`
      CREATE TABLE case_number_counters (
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        year integer NOT NULL,
        last_value integer NOT NULL,
        PRIMARY KEY (workstation_id, year)
      )`);

    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_number varchar(64) NOT NULL,
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        source varchar(32) NOT NULL CHECK (source IN ('court_entrusted', 'court_assigned', 'walk_in', 'hotline', 'arbitration_referral')),
        court_case_number varchar(100),
        simple_procedure boolean NOT NULL DEFAULT false,
        dispute_type varchar(32) NOT NULL CHECK (dispute_type IN ('wage_arrears', 'dismissal', 'social_insurance', 'work_injury', 'overtime', 'compensation', 'other')),
        status varchar(32) NOT NULL CHECK (status IN ('registered', 'assigned', 'in_mediation', 'agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn')),
        summary text NOT NULL,
        claim_amount numeric(14,2) NOT NULL CHECK (claim_amount >= 0),
        worker_count integer NOT NULL DEFAULT 1 CHECK (worker_count >= 1),
        applicant_name varchar(100) NOT NULL,
        applicant_id_number varchar(32),
        applicant_phone varchar(32),
        respondent_name varchar(200) NOT NULL,
        respondent_credit_code varchar(32),
        respondent_phone varchar(32),
        mediator_id uuid REFERENCES users(id),
        received_at timestamptz NOT NULL,
        deadline_at timestamptz NOT NULL,
        extension_days integer NOT NULL DEFAULT 0,
        overdue boolean NOT NULL DEFAULT false,
        concluded_at timestamptz,
        outcome_reason text,
        created_by uuid REFERENCES users(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT cases_case_number_key UNIQUE (case_number)
      )`);
    // The list's default order is received_at DESC, id DESC, within a workstation or across all.
    await q.query(`CREATE INDEX cases_workstation_received_idx ON cases (workstation_id, received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_received_idx ON cases (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_mediator_received_idx ON cases (mediator_id, received_at DESC, id DESC) WHERE mediator_id IS NOT NULL`);
    await q.query(`CREATE INDEX cases_workstation_status_idx ON cases (workstation_id, status, received_at DESC)`);
    await q.query(`CREATE INDEX cases_status_received_idx ON cases (status, received_at DESC)`);
    await q.query(`CREATE INDEX cases_overdue_idx ON cases (workstation_id, deadline_at) WHERE overdue`);
    await q.query(`CREATE INDEX cases_concluded_idx ON cases (workstation_id, concluded_at) WHERE concluded_at IS NOT NULL`);
    await q.query(`CREATE INDEX cases_court_case_number_idx ON cases (court_case_number) WHERE court_case_number IS NOT NULL`);
    await q.query(`CREATE INDEX cases_search_trgm_idx ON cases USING gin ((case_number || ' ' || applicant_name || ' ' || respondent_name || ' ' || coalesce(court_case_number, '')) gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE case_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        scheduled_at timestamptz NOT NULL,
        mode varchar(16) NOT NULL CHECK (mode IN ('onsite', 'video', 'phone')),
        location varchar(300),
        status varchar(16) NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'held', 'cancelled', 'no_show')),
        notes text,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_sessions_case_idx ON case_sessions (case_id, scheduled_at)`);

    await q.query(`
      CREATE TABLE agreements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        terms text NOT NULL,
        agreed_amount numeric(14,2) NOT NULL CHECK (agreed_amount >= 0),
        signed_at timestamptz NOT NULL,
        effective_at timestamptz NOT NULL,
        in_breach boolean NOT NULL DEFAULT false,
        breached_at timestamptz,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT agreements_case_key UNIQUE (case_id)
      )`);
    await q.query(`CREATE INDEX agreements_effective_idx ON agreements (effective_at)`);

    await q.query(`
      CREATE TABLE installments (
        agreement_id uuid NOT NULL REFERENCES agreements(id),
        seq integer NOT NULL CHECK (seq >= 1),
        due_date date NOT NULL,
        amount numeric(14,2) NOT NULL CHECK (amount > 0),
        paid_at timestamptz,
        PRIMARY KEY (agreement_id, seq)
      )`);

    await q.query(`
      CREATE TABLE confirmations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        workstation_id uuid NOT NULL REFERENCES workstations(id),
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
        applied_at timestamptz NOT NULL,
        requested_by uuid REFERENCES users(id),
        ruled_at timestamptz,
        ruling_number varchar(100),
        reason text,
        ruled_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT confirmations_case_key UNIQUE (case_id)
      )`);
    await q.query(`CREATE INDEX confirmations_workstation_status_idx ON confirmations (workstation_id, status, applied_at)`);
    await q.query(`CREATE INDEX confirmations_ruled_idx ON confirmations (ruled_at) WHERE status = 'confirmed'`);

    // The timeline: append-only, enforced by a trigger so that no code path can rewrite history.
    await q.query(`
      CREATE TABLE case_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        type varchar(48) NOT NULL,
        actor_id uuid REFERENCES users(id),
        at timestamptz NOT NULL DEFAULT now(),
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX case_events_case_idx ON case_events (case_id, id)`);
    await q.query(`
      CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER case_events_no_update_delete BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`);

    // The reminder outbox: written in the same transaction as the change that creates the deadline.
    await q.query(`
      CREATE TABLE reminders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(48) NOT NULL,
        case_id uuid NOT NULL REFERENCES cases(id),
        subject_id uuid,
        subject_seq integer,
        fire_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'enqueued', 'delivered', 'cancelled')),
        enqueued_at timestamptz,
        delivered_at timestamptz,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reminders_pending_idx ON reminders (created_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX reminders_case_idx ON reminders (case_id, status)`);

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        reminder_id uuid REFERENCES reminders(id),
        kind varchar(48) NOT NULL,
        case_id uuid REFERENCES cases(id),
        case_number varchar(64),
        message text NOT NULL,
        due_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    // At most once: one notification per reminder and recipient, whatever the queue does.
    await q.query(`CREATE UNIQUE INDEX notifications_reminder_user_key ON notifications (reminder_id, user_id) WHERE reminder_id IS NOT NULL`);
    await q.query(`CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX notifications_user_unread_idx ON notifications (user_id, created_at DESC) WHERE read_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE reminders`);
    await q.query(`DROP TABLE case_events`);
    await q.query(`DROP FUNCTION case_events_append_only()`);
    await q.query(`DROP TABLE confirmations`);
    await q.query(`DROP TABLE installments`);
    await q.query(`DROP TABLE agreements`);
    await q.query(`DROP TABLE case_sessions`);
    await q.query(`DROP TABLE cases`);
    await q.query(`DROP TABLE case_number_counters`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE workstations`);
  }
}
