import { INestApplicationContext, Logger } from '@nestjs/common';

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Graceful stop on SIGTERM / SIGINT (`docker stop`, Ctrl+C): the HTTP server stops accepting and
 * finishes what it holds, workers and pools close (every onModuleDestroy / onApplicationShutdown
 * hook), then the process exits 0. Nest's own enableShutdownHooks re-raises the signal afterwards,
 * which makes a clean stop indistinguishable from a killed one; a second signal forces the exit.
 */
export function closeOnSignals(app: INestApplicationContext, logger = new Logger('Shutdown')): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    logger.log(`${signal} received: closing`);
    app.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error(`shutdown failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
