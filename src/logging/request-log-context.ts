import type { AsyncLocalStorage } from 'node:async_hooks';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';

/** What PinoLogger reads from its context: the logger of the current request (or job). */
interface PinoContextStore {
  logger: Logger;
}

/**
 * nestjs-pino's own context (the AsyncLocalStorage behind `PinoLogger.runInContext` and
 * `assign`), which the package does not export: loaded from its file beside the package's entry.
 * request-log-context.spec.ts checks that PinoLogger reads what is stored here.
 */
const pinoContext = (require(join(dirname(require.resolve('nestjs-pino')), 'storage.js')) as { storage: AsyncLocalStorage<PinoContextStore> }).storage;

/**
 * A request's logging context whose child logger is made only when a line is logged in it.
 *
 * Why: `runInContext(done, { bindings })` and `assign(fields)` each made a pino child per
 * request (bindings serialized, redacted and stringified: some 60-120 µs of CPU a request), while
 * most requests log nothing but their own line, which RequestLogHook writes through the root.
 * A line logged in the context carries the same bindings, made by the same child() calls in the
 * same order, as before.
 */
export class LazyRequestLogStore implements PinoContextStore {
  private made?: Logger;
  private readonly pending: object[];

  constructor(
    private readonly root: Logger,
    bindings: object,
  ) {
    this.pending = [bindings];
  }

  get logger(): Logger {
    if (!this.made) this.made = this.pending.reduce<Logger>((logger, bindings) => logger.child(bindings), this.root);
    return this.made;
  }

  /** What PinoLogger.assign does when called on this context: the logger made from now on. */
  set logger(logger: Logger) {
    this.made = logger;
  }

  /** Like PinoLogger.assign: every later line of the context carries `fields`. */
  bind(fields: object): void {
    if (this.made) this.made = this.made.child(fields);
    else this.pending.push(fields);
  }
}

/** Runs `fn` in a new request logging context whose lines carry `bindings` (as PinoLogger.runInContext). */
export function runInRequestLogContext<T>(root: Logger, bindings: object, fn: () => T): T {
  return pinoContext.run(new LazyRequestLogStore(root, bindings), fn);
}

/**
 * Adds `fields` to the current request's logging context, without making a logger. Returns false
 * outside such a context (e.g. a job's context made by PinoLogger.runInContext), where the caller
 * uses PinoLogger.assign.
 */
export function bindToRequestLog(fields: object): boolean {
  const store = pinoContext.getStore();
  if (!(store instanceof LazyRequestLogStore)) return false;
  store.bind(fields);
  return true;
}
