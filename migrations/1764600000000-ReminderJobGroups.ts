import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders go onto the queue in groups: one BullMQ job for up to 500 reminders falling due at
 * the same moment (a burst of 100,000 was 100,000 jobs, each a few Redis scripts and a worker
 * round). `job_id` says which job carries a row: the job finds its rows by it, and a sweep adds a
 * lost job again by it. Rows enqueued before this version had one job each, whose id is theirs.
 */
export class ReminderJobGroups1764600000000 implements MigrationInterface {
  name = 'ReminderJobGroups1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminders ADD COLUMN job_id uuid`);
    await q.query(`UPDATE reminders SET job_id = id WHERE status = 'enqueued'`);
    await q.query(`CREATE INDEX reminders_job_active_idx ON reminders (job_id) WHERE status IN ('pending', 'enqueued')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reminders_job_active_idx`);
    await q.query(`ALTER TABLE reminders DROP COLUMN job_id`);
  }
}
