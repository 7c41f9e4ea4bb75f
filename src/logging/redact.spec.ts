import { REDACTED, redactText, redactValue } from './redact';

describe('log redaction', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
  it('drops tokens, API keys, search text and identity numbers from text', () => {
    const line = redactText(`GET /api/v1/cases?q=张三&page=2&access_token=${jwt} Bearer abc.def id 420102199001011234 key mtk_abcdefghij012345_${'A'.repeat(43)}`);
    expect(line).not.toMatch(/张三|eyJ|420102199001011234|mtk_|abc\.def/);
    expect(line).toContain('page=2');
  });

  it('drops sensitive keys at any depth and keeps the rest', () => {
    const out = redactValue({ body: { password: 'x', nested: { newPassword: 'y', idNumber: '1', ok: 1 } }, list: [{ token: 't' }], msg: 'fine' }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a redacted copy of arbitrary data
    expect(out).toEqual({ body: { password: REDACTED, nested: { newPassword: REDACTED, idNumber: REDACTED, ok: 1 } }, list: [{ token: REDACTED }], msg: 'fine' });
    const err = redactValue(new Error(`bad token ${jwt}`)) as Error;
    expect(err.message).toBe(`bad token ${REDACTED}`);
  });
});
