import Redis from 'ioredis';
import { Client } from 'pg';
import { TEST_PG_URL, TEST_REDIS_URL } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const id = process.env.MT_TEST_RUN_ID;
  if (!id) return;
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`mt\\_${id}\\_%`]);
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  await admin.end();
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `mt:${id}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis may have been stopped by a fault test; its keys then die with it.
  } finally {
    redis.disconnect();
  }
}
