import { DomainError, ErrorCode } from '../common/errors/domain-error';

/**
 * Requests that may each keep the database busy for a long time: a search over the case list, the
 * exports of the case ledger (CSV, .xlsx) and the statistics report (PDF, .xlsx). The routes say which they
 * are with @HeavyRead (heavy-read.decorator.ts). Two limits, both in this process:
 * - per user: a few of each kind at once, so that one user's burst cannot take the database (and
 *   the pool) from everybody else; beyond it a 429 at once;
 * - per instance, all users together: an export of a whole scope runs for tens of seconds at the
 *   full speed of one core (its PostgreSQL backend) and keeps a pooled connection, so only a few run
 *   at once and the others wait for a slot, briefly, then get a 429. That leaves the second core and
 *   the pool to everybody's lists.
 */
export type HeavyReadKind = 'search' | 'export' | 'report';

/** The metadata key of @HeavyRead: a HeavyReadChoice. */
export const HEAVY_READ = 'heavy-reads:kind';

/** Which heavy read a request is, from its query string (null: a light one, not limited). */
export type HeavyReadChoice = (query: Record<string, unknown>) => HeavyReadKind | null;

export interface HeavyReadRule {
  /** How many may run at once per user (per app instance). */
  perUser: number;
  /** How many may run at once in this instance, all users together. */
  perInstance: number;
  /** How long a request waits for an instance slot before its 429. */
  waitMs: number;
  /** At most this many wait for an instance slot; any more get their 429 at once. */
  maxWaiting: number;
  /** What the 429 says when the user runs `perUser` already. */
  messageZh: string;
  /** What the 429 says when the instance's slots stay taken. */
  busyMessageZh: string;
}

export const HEAVY_READS: Record<HeavyReadKind, HeavyReadRule> = {
  search: {
    perUser: 2,
    // One: a search takes milliseconds alone (src/cases/case-query.ts searchPlansFor) but keeps two
    // backends busy (the page and the count), and searches back to back took both cores from everybody
    // else. bench `burst` (a user's 20 searches and 5 exports a second against others' lists at 50/s,
    // export limit 1) on a machine shared with other benches: others' p99 404 ms and 6,497 ms in two
    // runs with 1 search at a time, 4,432 ms with 2, 6,900-8,900 ms with 6; the pool (20) full in all.
    // Not settled: measure again on a quiet machine.
    perInstance: 1,
    waitMs: 3_000,
    maxWaiting: 50,
    messageZh: '您同时进行的搜索过多，请等上一个搜索完成后再试',
    busyMessageZh: '当前搜索人数较多，请稍后再试',
  },
  export: {
    perUser: 2,
    // One: an export keeps one backend at full speed for its whole length (a workstation's 80,000
    // cases: seconds; a city's million: some 30 s), so one at a time leaves the other core to the
    // rest. bench `burst`, same session: others' p99 during it 3.7 s with 1, 11.7 s unlimited.
    perInstance: 1,
    waitMs: 10_000,
    maxWaiting: 10,
    messageZh: '您同时进行的导出过多，请等上一个导出完成后再试',
    busyMessageZh: '当前导出任务较多，请稍后再试',
  },
  report: {
    // The statistics report reads the snapshots (milliseconds) and renders in this process (a PDF:
    // about 130 ms of CPU): its own kind, so that it does not wait behind a ledger export.
    perUser: 2,
    perInstance: 2,
    waitMs: 5_000,
    maxWaiting: 10,
    messageZh: '您同时生成的报表过多，请等上一个报表完成后再试',
    busyMessageZh: '当前生成报表较多，请稍后再试',
  },
};

/**
 * The longest a search waits, once it has its slots, for the interactive requests in flight to end
 * before it starts (HeavyReadsInterceptor): others' lists at 50/s leave gaps every few tens of ms.
 */
export const SEARCH_START_MAX_WAIT_MS = 50;

const NOUNS: Record<HeavyReadKind, string> = { search: 'searches', export: 'exports', report: 'reports' };

/** Seconds a client is told to wait after its own limit: a search or the first batch of an export is usually done by then. */
export const HEAVY_READ_RETRY_AFTER_SECONDS = 1;
/** Seconds a client is told to wait when the instance stayed busy: a whole export takes longer than the wait. */
export const HEAVY_READ_BUSY_RETRY_AFTER_SECONDS = 10;

export function tooManyHeavyReads(kind: HeavyReadKind): DomainError {
  return new DomainError(
    ErrorCode.TooManyRequests,
    `Too many ${NOUNS[kind]} running for this user: at most ${HEAVY_READS[kind].perUser} at once`,
    { retryAfter: HEAVY_READ_RETRY_AFTER_SECONDS, kind, limit: HEAVY_READS[kind].perUser },
    HEAVY_READS[kind].messageZh,
  );
}

export function heavyReadsBusy(kind: HeavyReadKind): DomainError {
  return new DomainError(
    ErrorCode.TooManyRequests,
    `Too many ${NOUNS[kind]} running on this server: at most ${HEAVY_READS[kind].perInstance} at once; try again shortly`,
    { retryAfter: HEAVY_READ_BUSY_RETRY_AFTER_SECONDS, kind, instanceLimit: HEAVY_READS[kind].perInstance },
    HEAVY_READS[kind].busyMessageZh,
  );
}

/** A taken slot: call once when the heavy read ends (more calls do nothing). */
export type HeavyReadRelease = () => void;

interface Waiter {
  grant: (release: HeavyReadRelease) => void;
  timer: NodeJS.Timeout;
}

/**
 * The running heavy reads per user and kind, and per kind in all, in this process. Kept in memory
 * rather than in Redis: it costs no round trip, and a slot cannot outlive its request (a crashed
 * instance takes its counts with it, where a shared counter would need leases). With several
 * instances a user may run `perUser` per instance: still a small bound, which is what protects the
 * database; the instance limit is about this machine's cores and this process's pool.
 */
export class HeavyReadSlots {
  private readonly perUser = new Map<string, number>();
  private readonly running = new Map<HeavyReadKind, number>();
  private readonly waiting = new Map<HeavyReadKind, Waiter[]>();

  /** The user's slot, or null when the user already runs the most of this kind (taken at once, never waited for). */
  tryAcquire(userId: string, kind: HeavyReadKind): HeavyReadRelease | null {
    const key = `${kind}:${userId}`;
    const n = this.perUser.get(key) ?? 0;
    if (n >= HEAVY_READS[kind].perUser) return null;
    this.perUser.set(key, n + 1);
    return once(() => {
      const left = (this.perUser.get(key) ?? 1) - 1;
      if (left <= 0) this.perUser.delete(key);
      else this.perUser.set(key, left);
    });
  }

  /**
   * An instance slot of the kind: at once when one is free, else after the earlier waiters, within
   * the kind's `waitMs`; null when none came free in time or too many wait already.
   */
  acquireShared(kind: HeavyReadKind): Promise<HeavyReadRelease | null> {
    const rule = HEAVY_READS[kind];
    if ((this.running.get(kind) ?? 0) < rule.perInstance) return Promise.resolve(this.takeShared(kind));
    const queue = this.waiting.get(kind) ?? [];
    if (queue.length >= rule.maxWaiting) return Promise.resolve(null);
    this.waiting.set(kind, queue);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          queue.splice(queue.indexOf(waiter), 1);
          resolve(null);
        }, rule.waitMs),
      };
      queue.push(waiter);
    });
  }

  private takeShared(kind: HeavyReadKind): HeavyReadRelease {
    this.running.set(kind, (this.running.get(kind) ?? 0) + 1);
    return this.sharedRelease(kind);
  }

  /** Gives the slot back, or straight to the next waiter (the count then stays). */
  private sharedRelease(kind: HeavyReadKind): HeavyReadRelease {
    return once(() => {
      const next = this.waiting.get(kind)?.shift();
      if (next) {
        clearTimeout(next.timer);
        next.grant(this.sharedRelease(kind));
      } else this.running.set(kind, (this.running.get(kind) ?? 1) - 1);
    });
  }

  /** Per-user slots in use (for tests and metrics). */
  inUse(): number {
    let n = 0;
    for (const v of this.perUser.values()) n += v;
    return n;
  }

  /** Instance slots of a kind in use, and how many wait for one (for tests and metrics). */
  shared(kind: HeavyReadKind): { running: number; waiting: number } {
    return { running: this.running.get(kind) ?? 0, waiting: this.waiting.get(kind)?.length ?? 0 };
  }
}

function once(release: () => void): HeavyReadRelease {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}
