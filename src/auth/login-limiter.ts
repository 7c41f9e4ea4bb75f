import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfigService } from '../config/app-config.service';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { REDIS } from '../redis/redis.module';

/** Failed logins one account may have before each further failure locks it for a growing time. */
export const ACCOUNT_FREE_FAILURES = 5;
/** The longest lock: 15 minutes. */
export const ACCOUNT_MAX_LOCK_SECONDS = 900;
/** Failures are forgotten this long after the last one. */
const ACCOUNT_FAILURE_MEMORY_MS = 24 * 3600 * 1000;
const ADDRESS_WINDOW_MS = 60_000;
/** A Redis answer slower than this falls back to the in-process counters. */
const REDIS_TIMEOUT_MS = 300;

/** 1 s after the 5th failure, then 2, 4, 8 … up to 15 minutes. */
export function accountLockSeconds(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - ACCOUNT_FREE_FAILURES), ACCOUNT_MAX_LOCK_SECONDS);
}

export function tooManyLogins(retryAfterSeconds: number): DomainError {
  return new DomainError(
    ErrorCode.TooManyRequests,
    `Too many failed logins: try again in ${retryAfterSeconds} s`,
    { retryAfter: retryAfterSeconds },
    `登录失败次数过多，请 ${retryAfterSeconds} 秒后再试`,
  );
}

/** Counters kept in this process while Redis does not answer (so that an outage does not lift the limit). */
class LocalCounters {
  private readonly entries = new Map<string, { count: number; expiresAt: number }>();

  incr(key: string, ttlMs: number, refresh: boolean): number {
    const now = Date.now();
    const e = this.entries.get(key);
    if (!e || e.expiresAt <= now) {
      if (this.entries.size > 50_000) this.entries.clear();
      this.entries.set(key, { count: 1, expiresAt: now + ttlMs });
      return 1;
    }
    e.count += 1;
    if (refresh) e.expiresAt = now + ttlMs;
    return e.count;
  }

  ttlMs(key: string): number {
    const e = this.entries.get(key);
    return e && e.expiresAt > Date.now() ? e.expiresAt - Date.now() : 0;
  }

  count(key: string): number {
    return this.ttlMs(key) > 0 ? this.entries.get(key)!.count : 0;
  }

  set(key: string, ttlMs: number): void {
    this.entries.set(key, { count: 1, expiresAt: Date.now() + ttlMs });
  }

  del(...keys: string[]): void {
    for (const k of keys) this.entries.delete(k);
  }
}

/**
 * Login limits, in Redis so that every API instance shares them (DESIGN "Security"):
 * - per client address: LOGIN_RATE_LIMIT failed logins a minute (successful ones do not count,
 *   so an office behind one address is not locked out by its own colleagues);
 * - per account: after 5 failures each further one locks the account for 1, 2, 4 … seconds,
 *   up to 15 minutes; a successful login clears it. Unknown usernames are counted the same way.
 * Both answer 429 with Retry-After. While Redis is down the counters live in this process.
 */
@Injectable()
export class LoginLimiter {
  private readonly logger = new Logger(LoginLimiter.name);
  private readonly local = new LocalCounters();
  private readonly prefix: string;
  private readonly addressLimit: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfigService,
  ) {
    this.prefix = `${config.get('QUEUE_PREFIX')}:login`;
    this.addressLimit = config.get('LOGIN_RATE_LIMIT');
  }

  /** 429 when the address or the account is over its limit. */
  async assertAllowed(address: string, username: string): Promise<void> {
    const { addr, lock } = this.keys(address, username);
    const [addrFailures, addrTtl, lockTtl] = await this.run(
      async () => {
        const r = await this.redis.multi().get(addr).pttl(addr).pttl(lock).exec();
        return [Number(r?.[0]?.[1] ?? 0), Number(r?.[1]?.[1] ?? 0), Number(r?.[2]?.[1] ?? 0)];
      },
      () => [this.local.count(addr), this.local.ttlMs(addr), this.local.ttlMs(lock)],
    );
    if (lockTtl > 0) throw tooManyLogins(Math.ceil(lockTtl / 1000));
    if (addrFailures >= this.addressLimit) throw tooManyLogins(Math.max(1, Math.ceil(addrTtl / 1000)));
  }

  async recordFailure(address: string, username: string): Promise<void> {
    const { addr, fails, lock } = this.keys(address, username);
    const accountFailures = await this.run(
      async () => {
        const r = await this.redis.multi().incr(addr).pexpire(addr, ADDRESS_WINDOW_MS, 'NX').incr(fails).pexpire(fails, ACCOUNT_FAILURE_MEMORY_MS).exec();
        return Number(r?.[2]?.[1] ?? 0);
      },
      () => {
        this.local.incr(addr, ADDRESS_WINDOW_MS, false);
        return this.local.incr(fails, ACCOUNT_FAILURE_MEMORY_MS, true);
      },
    );
    const lockSeconds = accountLockSeconds(accountFailures);
    if (lockSeconds > 0) {
      await this.run(
        async () => void (await this.redis.set(lock, '1', 'PX', lockSeconds * 1000)),
        () => this.local.set(lock, lockSeconds * 1000),
      );
    }
  }

  async recordSuccess(address: string, username: string): Promise<void> {
    const { fails, lock } = this.keys(address, username);
    this.local.del(fails, lock);
    await this.run(
      async () => void (await this.redis.del(fails, lock)),
      () => undefined,
    );
  }

  private keys(address: string, username: string) {
    const account = username.trim().toLowerCase().slice(0, 64);
    return { addr: `${this.prefix}:addr:${address}`, fails: `${this.prefix}:acct:${account}:fails`, lock: `${this.prefix}:acct:${account}:lock` };
  }

  private async run<T>(remote: () => Promise<T>, fallback: () => T): Promise<T> {
    if (this.redis.status !== 'ready') return fallback();
    try {
      return await Promise.race([remote(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('redis timeout')), REDIS_TIMEOUT_MS).unref())]);
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'login limiter: Redis did not answer, counting in this process');
      return fallback();
    }
  }
}
