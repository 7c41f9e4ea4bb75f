import { createTestApp, TestApp } from './utils/test-app';
import { TestRedisServer } from './utils/redis-server';

describe('health (e2e)', () => {
  let redis: TestRedisServer;
  let t: TestApp;
  beforeAll(async () => {
    redis = await TestRedisServer.create();
    t = await createTestApp({ workers: false, redisUrl: redis.url });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('is live and ready with PostgreSQL and Redis up', async () => {
    await t.http.get('/health').expect(200, { status: 'ok' });
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body.details).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('reports a stopped Redis as not ready, and ready again once it is back', async () => {
    await redis.stop();
    const down = await t.http.get('/health/ready').expect(503);
    expect(down.body.details.redis.status).toBe('down');
    expect(down.body.details.postgres.status).toBe('up');
    await t.http.get('/health').expect(200);
    await redis.start();
    const deadline = Date.now() + 10000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await t.http.get('/health/ready')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
  });
});
