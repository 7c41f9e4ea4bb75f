import { JwtClaims } from '../accounts-core/auth-user';
import { VerifiedTokens } from './verified-tokens';

const claims = (exp?: number) => ({ sub: '00000000-0000-4000-8000-000000000001', role: 'admin', ws: null, tv: 0, ...(exp === undefined ? {} : { exp }) }) as unknown as JwtClaims;

describe('VerifiedTokens', () => {
  it('answers a verified token until its expiry, then no longer', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokens(10, () => now);
    cache.set('a', claims(1_060));
    expect(cache.get('a')).toEqual(claims(1_060));
    now = 1_059_999;
    expect(cache.get('a')).toBeDefined();
    now = 1_060_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps no token without an expiry and only the exact token string', () => {
    const cache = new VerifiedTokens(10, () => 0);
    cache.set('no-exp', claims());
    expect(cache.get('no-exp')).toBeUndefined();
    cache.set('abc', claims(100));
    expect(cache.get('abc ')).toBeUndefined();
    expect(cache.get('ab')).toBeUndefined();
  });

  it('drops the least recently used beyond its bound', () => {
    const cache = new VerifiedTokens(2, () => 0);
    cache.set('a', claims(100));
    cache.set('b', claims(100));
    expect(cache.get('a')).toBeDefined(); // b is now the least recently used
    cache.set('c', claims(100));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });
});
