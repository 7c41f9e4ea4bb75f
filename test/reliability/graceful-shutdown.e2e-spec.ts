import { dbUrl } from '../setup/test-env';
import { freePort } from '../utils/redis-server';
import { createTestDatabase } from '../utils/test-app';
import { AppProcess, buildApp, BUILT_APP_ADMIN, builtAppEnv } from './built-app';

jest.setTimeout(300_000);

/**
 * The container runs `node dist/bundle/main.js` (the bundled server) under tini (Dockerfile), so `docker stop` delivers
 * SIGTERM to node itself. This checks what node then does: the shutdown hooks run (HTTP server,
 * queues, pools closed) and the process ends by itself with exit code 0, not by the test's SIGKILL
 * after 10 s nor by the signal's default action.
 */
describe('reliability: graceful shutdown on SIGTERM', () => {
  it('closes and exits 0 by itself', async () => {
    const main = buildApp();
    const database = await createTestDatabase();
    const app = new AppProcess(
      main,
      builtAppEnv(dbUrl(database)),
      await freePort(),
    );
    await app.start();
    // A request answered just before the signal: the process is up and serving.
    const before = await fetch(`${app.origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BUILT_APP_ADMIN),
    });
    expect(before.status).toBe(200);
    const started = Date.now();
    await app.stop();
    expect(app.lastExit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
