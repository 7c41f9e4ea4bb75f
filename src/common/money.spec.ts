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
});
