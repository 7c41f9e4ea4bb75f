import { fromFen, MONEY_PATTERN, normalizeMoney, toFen } from './money';

describe('money', () => {
  it('accepts decimal strings with at most two decimals', () => {
    for (const ok of ['0', '0.5', '12500.00', '12500', '999999999999.99']) expect(MONEY_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', '-1', '1.234', '01', '1e5', ' 1', '1,000', 'abc', '1.']) expect(MONEY_PATTERN.test(bad)).toBe(false);
  });

  it('converts to and from fen without floats', () => {
    expect(toFen('12500.5')).toBe(1250050n);
    expect(fromFen(toFen('0.1') + toFen('0.2'))).toBe('0.30');
    expect(normalizeMoney('7')).toBe('7.00');
    expect(fromFen(-5n)).toBe('-0.05');
  });

  it('normalizes every amount as through fen (the quick path for valid amounts included)', () => {
    const amounts = ['0', '0.5', '0.05', '0.50', '7', '10', '10.5', '10.50', '12500', '12500.5', '12500.55', '999999999999.99', '100000000000'];
    const others = ['007', '01.5', '-5', '-0.5', '3.', '1.234', ' 1'];
    for (const a of [...amounts, ...others]) {
      let viaFen: string | Error;
      try {
        viaFen = fromFen(toFen(a));
      } catch (e) {
        viaFen = e as Error;
      }
      if (viaFen instanceof Error) expect(() => normalizeMoney(a)).toThrow(viaFen.constructor as new () => Error);
      else expect(normalizeMoney(a)).toBe(viaFen);
    }
    for (let fen = 0n; fen < 100_000n; fen += 97n) {
      const a = fromFen(fen);
      for (const s of [a, a.replace(/0$/, ''), a.replace(/\.00$/, '')]) expect(normalizeMoney(s)).toBe(a);
    }
  });
});
