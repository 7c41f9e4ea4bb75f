import { findUnsafe, MAX_INPUT_DEPTH } from './input-safety.pipe';

describe('findUnsafe', () => {
  it('accepts ordinary input', () => {
    expect(findUnsafe({ a: 'x', b: [1, { c: '中文' }], d: null })).toBeUndefined();
  });

  it('rejects NUL in values and keys, naming the field', () => {
    expect(findUnsafe({ applicant: { name: 'a\u0000b' } })).toEqual({ field: 'applicant.name', message: 'must not contain NUL characters' });
    expect(findUnsafe({ ['k\u0000']: 1 })?.field).toBe('k\u0000');
  });

  it('rejects deep nesting without recursing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafe({ summary: deep })?.message).toMatch(/nested too deeply/);
    let ok: unknown = 'x';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) ok = [ok];
    expect(findUnsafe(ok)).toBeUndefined();
  });

  it('rejects prototype keys as JSON.parse makes them (own properties), at any depth', () => {
    expect(findUnsafe(JSON.parse('{"__proto__": {"isAdmin": true}, "a": 1}'))).toEqual({ field: '__proto__', message: 'is not an allowed field name' });
    expect(findUnsafe(JSON.parse('{"applicant": {"constructor": {"prototype": 1}}}'))?.field).toBe('applicant.constructor');
    expect(findUnsafe(JSON.parse('{"items": [{"prototype": 1}]}'))?.field).toBe('items.0.prototype');
    expect(findUnsafe({ constructorName: 'x', proto: 1 })).toBeUndefined();
  });
});
