import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { closeOnSignals } from './common/shutdown';
import { validateEnv } from './config/env.validation';

/** `npm run start:worker`: queue workers and job schedulers only, no HTTP; run as many as needed. */
async function main(): Promise<void> {
  try {
    validateEnv(process.env);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ api: false, workers: true }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  closeOnSignals(app);
  await app.init();
}

main().catch((e) => {
  console.error(`worker startup failed: ${(e as Error).message}`);
  process.exit(1);
});
