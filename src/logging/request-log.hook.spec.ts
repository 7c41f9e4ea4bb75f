import { requestIdFrom, requestLogLevel, requestUserFields } from './request-log.hook';

describe('request log', () => {
  it('logs a 503 as a warning (a dependency away), other 5xx as errors, 4xx as warnings, the rest as info', () => {
    expect([200, 201, 204, 302, 400, 401, 404, 409, 500, 502, 503, 504].map(requestLogLevel)).toEqual([
      'info', 'info', 'info', 'info', 'warn', 'warn', 'warn', 'warn', 'error', 'error', 'warn', 'error',
    ]);
  });

  it('keeps a sane X-Request-Id and makes one otherwise', () => {
    expect(requestIdFrom('abc.DEF_1-2')).toBe('abc.DEF_1-2');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), ['a', 'b'], 'ünïcode']) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(requestIdFrom('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it('names the user, or "anonymous"', () => {
    expect(requestUserFields(undefined)).toEqual({ userId: null, user: 'anonymous' });
    expect(requestUserFields({ id: 'u1', username: 'alice', role: 'staff' as never, workstationId: null })).toEqual({ userId: 'u1', user: 'alice' });
  });
});
