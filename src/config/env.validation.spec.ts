import { validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('gives the documented defaults', () => {
    const config = validateEnv({});
    expect(config).toMatchObject({ PORT: 3000, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mediation', REDIS_URL: 'redis://127.0.0.1:6379', WORKERS: 'all' });
  });

  it('fails with one line naming each bad setting', () => {
    expect(() => validateEnv({ PORT: 'abc' })).toThrow('Invalid configuration: PORT: PORT must be an integer');
    expect(() => validateEnv({ DATABASE_URL: 'mysql://x', WORKERS: 'some' })).toThrow(/DATABASE_URL: .*postgres.*; WORKERS:/);
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow('JWT_SECRET: required when NODE_ENV=production');
    expect(() => validateEnv({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: JWT_SECRET must be at least 16 characters/);
  });
});
