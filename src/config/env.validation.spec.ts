import { trustProxySetting, validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('gives the documented defaults', () => {
    const config = validateEnv({ JWT_SECRET: 'a-secret-of-16-chars-or-more' });
    expect(config).toMatchObject({ PORT: 3000, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mediation', REDIS_URL: 'redis://127.0.0.1:6379', WORKERS: 'all' });
  });

  it('fails with one line naming each bad setting', () => {
    expect(() => validateEnv({ PORT: 'abc' })).toThrow('Invalid configuration: PORT: PORT must be an integer');
    expect(() => validateEnv({ DATABASE_URL: 'mysql://x', WORKERS: 'some' })).toThrow(/DATABASE_URL: .*postgres.*; WORKERS:/);
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow('JWT_SECRET: required unless NODE_ENV is development or test');
  });

  it('refuses to run without JWT_SECRET unless NODE_ENV is development or test (unset is production)', () => {
    expect(() => validateEnv({})).toThrow(/^Invalid configuration: JWT_SECRET: required unless NODE_ENV is development or test/);
    expect(validateEnv({ NODE_ENV: 'development' }).JWT_SECRET.length).toBeGreaterThanOrEqual(16);
    expect(validateEnv({ NODE_ENV: 'test' }).JWT_SECRET.length).toBeGreaterThanOrEqual(16);
    expect(validateEnv({ JWT_SECRET: 'a-secret-of-16-chars-or-more' }).NODE_ENV).toBe('production');
    expect(() => validateEnv({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: JWT_SECRET must be at least 16 characters/);
  });

  it('reads TRUSTED_PROXIES as a list of addresses, or trusts no forwarding header', () => {
    const env = { NODE_ENV: 'test' };
    expect(trustProxySetting(validateEnv(env).TRUSTED_PROXIES)).toBe(false);
    expect(trustProxySetting(validateEnv({ ...env, TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,loopback' }).TRUSTED_PROXIES)).toEqual(['10.0.0.1', '192.168.0.0/16', 'loopback']);
    expect(() => validateEnv({ ...env, TRUSTED_PROXIES: '*' })).toThrow(/TRUSTED_PROXIES must be/);
    expect(() => validateEnv({ ...env, RETENTION_YEARS: '0' })).toThrow(/RETENTION_YEARS/);
  });
});
