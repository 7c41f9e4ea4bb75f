import { JwtClaims } from '../accounts-core/auth-user';
import { setNewest } from '../common/bounded-map';

/** Enough for every signed-in user of a province several times over; beyond it the least recently used go. */
export const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Tokens whose signature and claims were already verified, by the whole token string, until
 * they expire: the HMAC and the base64/JSON decoding of a token cost more CPU per request than
 * the rest of the guard. Only the signature check is reused: whether the account still stands
 * behind the token (revocation) is checked on every request (AccountStateService). A token
 * without an expiry is not kept. Least recently used first out.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { claims: JwtClaims; expiresAtMs: number }>();

  constructor(
    private readonly max = VERIFIED_TOKENS_MAX,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): JwtClaims | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    this.entries.delete(token);
    if (this.now() >= hit.expiresAtMs) return undefined;
    this.entries.set(token, hit);
    return hit.claims;
  }

  set(token: string, claims: JwtClaims): void {
    const exp = (claims as JwtClaims & { exp?: unknown }).exp;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return;
    setNewest(this.entries, token, { claims, expiresAtMs: exp * 1000 }, this.max);
  }

  get size(): number {
    return this.entries.size;
  }
}
