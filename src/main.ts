import 'reflect-metadata';
import { createApp } from './bootstrap';
import { closeOnSignals } from './common/shutdown';
import { validateEnv } from './config/env.validation';

async function main(): Promise<void> {
  let port: number;
  try {
    port = validateEnv(process.env).PORT;
  } catch (e) {
    // One clear line naming the bad setting, no stack trace.
    console.error((e as Error).message);
    process.exit(1);
  }
  const app = await createApp();
  const server = app.getHttpServer() as import('node:http').Server;
  // Idle keep-alive connections stay open longer than a reverse proxy's or client pool's usual
  // 60 s, so that the other side closes them: with Node's 5 s default the app closes a socket
  // just as the client reuses it, and that request fails (ECONNRESET / a proxy's 502).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  closeOnSignals(app);
  await app.listen(port, '0.0.0.0');
}

main().catch((e) => {
  console.error(`startup failed: ${(e as Error).message}`);
  process.exit(1);
});
