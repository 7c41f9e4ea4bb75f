import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The index of unsent notifications covered reminder notifications too. Those are claimed by
 * reminder id (their own unique index), but the planner, with statistics that said the table was
 * small, scanned this partial index instead and filtered: under a burst of reminders, its dead
 * entries made every claim take a second. Only immediate notifications are looked up by time, so
 * only they are indexed by it now, and a claim by reminder id can't pick this index at all.
 */
export class NotificationsUnsentImmediateIndex1764000700000 implements MigrationInterface {
  name = 'NotificationsUnsentImmediateIndex1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_unsent_idx`);
    await q.query(`CREATE INDEX notifications_unsent_immediate_idx ON notifications (created_at) WHERE sent_at IS NULL AND reminder_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_unsent_immediate_idx`);
    await q.query(`CREATE INDEX notifications_unsent_idx ON notifications (created_at) WHERE sent_at IS NULL`);
  }
}
