import { Client } from 'pg';
import { migrate } from '../../src/database/migrate';
import { dbUrl, templateDbName, TEST_PG_URL } from './test-env';

/**
 * Once per test run: a fresh template database with every migration applied. Each test file then
 * clones it (CREATE DATABASE ... TEMPLATE), which takes milliseconds, so files never share data.
 */
export default async function globalSetup(): Promise<void> {
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  process.env.MT_TEST_RUN_ID = id;
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  // Leftovers of runs that crashed more than a day ago.
  const stale = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'mt\\_%' AND datname <> ALL($1)`, [[]]);
  for (const { datname } of stale.rows) {
    const ts = parseInt(String(datname).split('_')[1]?.slice(0, 8) ?? '', 36);
    if (Number.isFinite(ts) && Date.now() - ts > 24 * 3600 * 1000) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
  }
  await admin.end();
  await migrate(dbUrl(templateDbName(id)), 'run', () => undefined);
}
