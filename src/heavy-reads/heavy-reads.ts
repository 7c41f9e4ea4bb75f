import { CASE_NUMBER_PREFIX } from '../cases/case-query';
import { DomainError, ErrorCode } from '../common/errors/domain-error';

/**
 * Requests that may each keep the database busy for a long time: a search over the case list
 * (`q=`, except a case number or its start, which is one index lookup) and the exports. Each user may run only a few of each kind at once, so that one
 * user's burst of them cannot take the database (and the pool) from everybody else's lists.
 */
export type HeavyReadKind = 'search' | 'export';

export interface HeavyReadRule {
  /** How many may run at once per user (per app instance). */
  perUser: number;
  matches(method: string, path: string, query: Record<string, unknown>): boolean;
  /** What the 429 says. */
  messageZh: string;
}

const EXPORT_PATHS = new Set(['/api/v1/cases/export.csv', '/api/v1/cases/export.xlsx', '/api/v1/stats/report.pdf', '/api/v1/stats/report.xlsx']);

export const HEAVY_READS: Record<HeavyReadKind, HeavyReadRule> = {
  search: {
    perUser: 2,
    matches: (method, path, query) =>
      method === 'GET' && path === '/api/v1/cases' && typeof query.q === 'string' && query.q !== '' && !CASE_NUMBER_PREFIX.test(query.q),
    messageZh: '您同时进行的搜索过多，请等上一个搜索完成后再试',
  },
  export: {
    perUser: 2,
    matches: (method, path) => method === 'GET' && EXPORT_PATHS.has(path),
    messageZh: '您同时进行的导出过多，请等上一个导出完成后再试',
  },
};

/** Seconds a client is told to wait: a search or the first batch of an export is usually done by then. */
export const HEAVY_READ_RETRY_AFTER_SECONDS = 1;

export function heavyReadKind(method: string, path: string, query: Record<string, unknown>): HeavyReadKind | null {
  for (const kind of Object.keys(HEAVY_READS) as HeavyReadKind[]) if (HEAVY_READS[kind].matches(method, path, query)) return kind;
  return null;
}

export function tooManyHeavyReads(kind: HeavyReadKind): DomainError {
  return new DomainError(
    ErrorCode.TooManyRequests,
    `Too many ${kind === 'search' ? 'searches' : 'exports'} running for this user: at most ${HEAVY_READS[kind].perUser} at once`,
    { retryAfter: HEAVY_READ_RETRY_AFTER_SECONDS, kind, limit: HEAVY_READS[kind].perUser },
    HEAVY_READS[kind].messageZh,
  );
}

/**
 * The running heavy reads per user and kind, in this process. Kept in memory rather than in Redis:
 * it costs no round trip, and a slot cannot outlive its request (a crashed instance takes its
 * counts with it, where a shared counter would need leases). With several instances a user may
 * run `perUser` per instance: still a small bound, which is what protects the database.
 */
export class HeavyReadSlots {
  private readonly running = new Map<string, number>();

  /** Takes a slot, or returns null when the user already runs the most of this kind. */
  tryAcquire(userId: string, kind: HeavyReadKind): (() => void) | null {
    const key = `${kind}:${userId}`;
    const n = this.running.get(key) ?? 0;
    if (n >= HEAVY_READS[kind].perUser) return null;
    this.running.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left <= 0) this.running.delete(key);
      else this.running.set(key, left);
    };
  }

  /** Slots in use (for tests and metrics). */
  inUse(): number {
    let n = 0;
    for (const v of this.running.values()) n += v;
    return n;
  }
}
