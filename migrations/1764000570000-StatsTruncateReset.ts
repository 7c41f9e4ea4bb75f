import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TRUNCATE fires no row triggers, so emptying `cases` or `agreements` (a data reload, a bench
 * reset) would leave the statistics coverage claiming snapshots of data that no longer exists.
 * A statement trigger on TRUNCATE forgets every snapshot instead (the figures then come live
 * until the next daily run writes them again).
 */
export class StatsTruncateReset1764000570000 implements MigrationInterface {
  name = 'StatsTruncateReset1764000570000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION stats_forget_snapshots() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM stats_snapshot_months;
        DELETE FROM stats_snapshot_days;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER stats_cases_truncated AFTER TRUNCATE ON cases FOR EACH STATEMENT EXECUTE FUNCTION stats_forget_snapshots()`);
    await q.query(`CREATE TRIGGER stats_agreements_truncated AFTER TRUNCATE ON agreements FOR EACH STATEMENT EXECUTE FUNCTION stats_forget_snapshots()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER stats_agreements_truncated ON agreements`);
    await q.query(`DROP TRIGGER stats_cases_truncated ON cases`);
    await q.query(`DROP FUNCTION stats_forget_snapshots()`);
  }
}
