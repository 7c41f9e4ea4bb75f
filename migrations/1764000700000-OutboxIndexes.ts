import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two indexes that a burst of reminders (100,000 falling due at once) showed to be wrong:
 * - The dispatcher takes pending reminders `ORDER BY created_at, id`, and rows written in one
 *   transaction share `created_at`: on `(created_at)` alone each batch of 500 sorted every
 *   pending row. `(created_at, id)` gives them in order.
 * - The index of unsent notifications covered reminder notifications too. Those are claimed by
 *   reminder id (their own unique index), but the planner, with statistics that said the table
 *   was small, scanned this partial index and filtered: with its dead entries every claim took a
 *   second. Only immediate notifications are looked up by time, so only they are indexed by it.
 */
export class OutboxIndexes1764000700000 implements MigrationInterface {
  name = 'OutboxIndexes1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reminders_pending_idx`);
    await q.query(`CREATE INDEX reminders_pending_idx ON reminders (created_at, id) WHERE status = 'pending'`);
    await q.query(`DROP INDEX notifications_unsent_idx`);
    await q.query(`CREATE INDEX notifications_unsent_immediate_idx ON notifications (created_at) WHERE sent_at IS NULL AND reminder_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_unsent_immediate_idx`);
    await q.query(`CREATE INDEX notifications_unsent_idx ON notifications (created_at) WHERE sent_at IS NULL`);
    await q.query(`DROP INDEX reminders_pending_idx`);
    await q.query(`CREATE INDEX reminders_pending_idx ON reminders (created_at) WHERE status = 'pending'`);
  }
}
