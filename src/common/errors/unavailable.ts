import { QueryFailedError } from 'typeorm';

/** Seconds a client should wait before retrying after each kind of transient failure. */
export const RETRY_AFTER_LOCKED_SECONDS = 1;
export const RETRY_AFTER_UNAVAILABLE_SECONDS = 5;

/** PostgreSQL error codes of a server that went away, is starting or shutting down, or is full. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '53400', '57014', '58000', '58030']);
/** Lock waits given up (lock_timeout), deadlocks and serialization failures: retry the request. */
const BUSY_SQLSTATES = new Set(['55P03', '40P01', '40001']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const NETWORK_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i, /Connection is not established/i, /is not queryable/i, /Query read timeout/i, /already released/i, /connection ended/i, /the database system is (starting up|shutting down|in recovery mode)/i];

function sqlState(e: unknown): string | undefined {
  const err = (e instanceof QueryFailedError ? e.driverError : e) as { code?: unknown } | undefined;
  return typeof err?.code === 'string' ? err.code : undefined;
}

/**
 * A database failure that is not the request's fault: `busy` (the case is locked by someone
 * else, a deadlock: 409, retry in a second) or `unavailable` (connection lost or refused, pool
 * exhausted, server restarting: 503, retry in a few seconds). Null for anything else.
 */
export function transientDatabaseFailure(e: unknown): 'busy' | 'unavailable' | null {
  if (!e || typeof e !== 'object') return null;
  const code = sqlState(e);
  if (code && BUSY_SQLSTATES.has(code)) return 'busy';
  if (code && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code))) return 'unavailable';
  const message = String((e as { message?: unknown }).message ?? '');
  const driverMessage = e instanceof QueryFailedError ? String((e.driverError as { message?: unknown })?.message ?? '') : '';
  if (NETWORK_MESSAGES.some((re) => re.test(message) || re.test(driverMessage))) return 'unavailable';
  return null;
}
