/** Where the test run's PostgreSQL and Redis are; every run gets its own databases and key prefix. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function dbUrl(name: string): string {
  const u = new URL(TEST_PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export function runId(): string {
  const id = process.env.MT_TEST_RUN_ID;
  if (!id) throw new Error('MT_TEST_RUN_ID is not set: run the e2e tests through jest (globalSetup)');
  return id;
}

export const templateDbName = (id: string) => `mt_${id}_tpl`;
