import { Logger } from '@nestjs/common';

/** How often one queue or worker may log that Redis is unreachable. */
const QUIET_MS = 30_000;

/**
 * An `error` listener for a BullMQ queue or worker. Without one, BullMQ prints every failed
 * reconnect to the console while Redis is away; with it, one warning per half minute goes to the log.
 */
export function logRedisErrors(logger: Logger, name: string): (e: Error) => void {
  let lastAt = 0;
  return (e: Error) => {
    const now = Date.now();
    if (now - lastAt < QUIET_MS) return;
    lastAt = now;
    logger.warn(`${name}: ${e.message} (reconnecting)`);
  };
}
