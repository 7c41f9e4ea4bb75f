import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AccountState, AccountStateRepository, ApiKeyState } from './account-state.repository';

export type { AccountState, ApiKeyState } from './account-state.repository';

/**
 * How long an account's state may be reused (DESIGN: a change takes effect within 5 seconds,
 * whatever the instance). Changes made through this instance take effect at once (invalidate).
 */
export const ACCOUNT_STATE_TTL_MS = 3000;
const MAX_ENTRIES = 10_000;

/** `mtk_<key id>_<secret>`: the key id finds the row, the secret's SHA-256 must match. */
export const API_KEY_PATTERN = /^mtk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
export const hashApiKey = (key: string): Buffer => createHash('sha256').update(key).digest();

interface Cached<T> {
  value: T | null;
  at: number;
  pending?: Promise<T | null>;
}

/** The accounts' current state for the guard, cached in process for at most ACCOUNT_STATE_TTL_MS. */
@Injectable()
export class AccountStateService {
  private readonly accounts = new Map<string, Cached<AccountState>>();
  private readonly keys = new Map<string, Cached<ApiKeyState>>();

  constructor(private readonly repository: AccountStateRepository) {}

  account(id: string): Promise<AccountState | null> {
    return this.cached(this.accounts, id, () => this.repository.findAccount(id));
  }

  /**
   * The account's state as account() would give it without reading (read by this instance less than
   * ACCOUNT_STATE_TTL_MS ago), or undefined: then account() reads it. Lets the guard admit the
   * usual request without a promise (issue 17); the revocation check is the same.
   */
  fresh(id: string): AccountState | null | undefined {
    const hit = this.accounts.get(id);
    return hit && !hit.pending && Date.now() - hit.at < ACCOUNT_STATE_TTL_MS ? hit.value : undefined;
  }

  /** The account a presented API key belongs to, or null (unknown, wrong secret, revoked). */
  async apiKey(key: string): Promise<{ account: AccountState; workstationIds: string[] } | null> {
    const m = API_KEY_PATTERN.exec(key);
    if (!m) return null;
    const state = await this.cached(this.keys, m[1], () => this.repository.findApiKey(m[1]));
    if (!state || state.revoked) return null;
    const presented = hashApiKey(key);
    if (presented.length !== state.keyHash.length || !timingSafeEqual(presented, state.keyHash)) return null;
    const account = await this.account(state.userId);
    return account ? { account, workstationIds: state.workstationIds } : null;
  }

  /** After a change through this instance: the next request reads the row again. */
  invalidate(userId: string): void {
    this.accounts.delete(userId);
    for (const [keyId, entry] of this.keys) if (entry.value?.userId === userId) this.keys.delete(keyId);
  }

  private async cached<T>(map: Map<string, Cached<T>>, id: string, load: () => Promise<T | null>): Promise<T | null> {
    const now = Date.now();
    const hit = map.get(id);
    if (hit?.pending) return hit.pending;
    if (hit && now - hit.at < ACCOUNT_STATE_TTL_MS) return hit.value;
    if (map.size >= MAX_ENTRIES) map.clear();
    const entry: Cached<T> = { value: null, at: now };
    entry.pending = load().then(
      (value) => {
        entry.value = value;
        entry.at = Date.now();
        entry.pending = undefined;
        return value;
      },
      (e) => {
        map.delete(id);
        throw e;
      },
    );
    map.set(id, entry);
    return entry.pending;
  }
}
