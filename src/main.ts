import 'reflect-metadata';
import { createApp, KEEP_ALIVE_TIMEOUT_MS } from './bootstrap';
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
  // Headers may take as long as an idle keep-alive connection is kept (bootstrap.ts, KEEP_ALIVE_TIMEOUT_MS).
  (app.getHttpServer() as import('node:http').Server).headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  closeOnSignals(app);
  await app.listen(port, '0.0.0.0');
}

main().catch((e) => {
  console.error(`startup failed: ${(e as Error).message}`);
  process.exit(1);
});
