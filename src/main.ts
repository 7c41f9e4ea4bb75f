import 'reflect-metadata';
import { createApp } from './bootstrap';
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
  await app.listen(port, '0.0.0.0');
}

main().catch((e) => {
  console.error(`startup failed: ${(e as Error).message}`);
  process.exit(1);
});
