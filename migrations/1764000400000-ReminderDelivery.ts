import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminder delivery: a reminder whose condition no longer holds at delivery time is `skipped`
 * (with the reason); notifications remember when the external sender (SMS, e-mail) took them;
 * partial indexes for the dispatcher's sweeps and for cancelling a subject's active reminders.
 */
export class ReminderDelivery1764000400000 implements MigrationInterface {
  name = 'ReminderDelivery1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminders DROP CONSTRAINT reminders_status_check`);
    await q.query(`ALTER TABLE reminders ADD CONSTRAINT reminders_status_check CHECK (status IN ('pending', 'enqueued', 'delivered', 'cancelled', 'skipped'))`);
    await q.query(`ALTER TABLE reminders ADD COLUMN skip_reason varchar(200)`);
    // Re-adding jobs that Redis lost (a flush, a restart without persistence) walks the enqueued rows.
    await q.query(`CREATE INDEX reminders_enqueued_fire_idx ON reminders (fire_at) WHERE status = 'enqueued'`);
    // Moving or cancelling a session's, an agreement's or a confirmation's reminders.
    await q.query(`CREATE INDEX reminders_subject_active_idx ON reminders (subject_id, kind) WHERE status IN ('pending', 'enqueued') AND subject_id IS NOT NULL`);

    await q.query(`ALTER TABLE notifications ADD COLUMN sent_at timestamptz`);
    await q.query(`UPDATE notifications SET sent_at = created_at`);
    await q.query(`CREATE INDEX notifications_unsent_idx ON notifications (created_at) WHERE sent_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_unsent_idx`);
    await q.query(`ALTER TABLE notifications DROP COLUMN sent_at`);
    await q.query(`DROP INDEX reminders_subject_active_idx`);
    await q.query(`DROP INDEX reminders_enqueued_fire_idx`);
    await q.query(`ALTER TABLE reminders DROP COLUMN skip_reason`);
    await q.query(`UPDATE reminders SET status = 'cancelled', cancelled_at = coalesce(cancelled_at, now()) WHERE status = 'skipped'`);
    await q.query(`ALTER TABLE reminders DROP CONSTRAINT reminders_status_check`);
    await q.query(`ALTER TABLE reminders ADD CONSTRAINT reminders_status_check CHECK (status IN ('pending', 'enqueued', 'delivered', 'cancelled'))`);
  }
}
