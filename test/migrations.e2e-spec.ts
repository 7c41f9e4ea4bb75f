import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { migrate } from '../src/database/migrate';
import { MIGRATIONS } from '../migrations';
import { dbUrl, runId } from './setup/test-env';

describe('migrations (e2e)', () => {
  const url = dbUrl(`mt_${runId()}_migrations`);

  it('create the database, apply to an empty one, and revert cleanly', async () => {
    const applied = await migrate(url, 'run', () => undefined);
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(await migrate(url, 'run', () => undefined)).toEqual([]);

    const ds = new DataSource(buildDataSourceOptions({ url, poolSize: 1 }));
    await ds.initialize();
    const tables = async () =>
      (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`)).map((r: { tablename: string }) => r.tablename);
    try {
      expect(await tables()).toEqual(expect.arrayContaining(['cases', 'case_events', 'users', 'workstations', 'reminders', 'notifications']));
      for (let i = 0; i < MIGRATIONS.length; i++) await migrate(url, 'revert', () => undefined);
      expect(await tables()).toEqual([]);
      expect(await migrate(url, 'run', () => undefined)).toHaveLength(MIGRATIONS.length);
    } finally {
      await ds.destroy();
    }
  });

  it('keeps the timeline append-only', async () => {
    const ds = new DataSource(buildDataSourceOptions({ url, poolSize: 1 }));
    await ds.initialize();
    try {
      const [ws] = await ds.query(`INSERT INTO workstations (code, name, court, union_name, region) VALUES ('AO-1','n','c','u','r') RETURNING id`);
      const [c] = await ds.query(
        `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name, respondent_name, received_at, deadline_at)
         VALUES ('AO-1-2026-000001', $1, 'walk_in', 'other', 'registered', 's', 1, 'a', 'r', now(), now()) RETURNING id`,
        [ws.id],
      );
      await ds.query(`INSERT INTO case_events (case_id, type) VALUES ($1, 'created')`, [c.id]);
      await expect(ds.query(`UPDATE case_events SET type = 'x'`)).rejects.toThrow(/append-only/);
      await expect(ds.query(`DELETE FROM case_events`)).rejects.toThrow(/append-only/);
    } finally {
      await ds.destroy();
    }
  });
});
