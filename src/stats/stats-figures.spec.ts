import { answerFigures, ratio, ZERO_FIGURES } from './stats-figures';
import { uncoveredRuns } from './stats-periods';
import { monthsOf, periodDays, validatePeriod } from './stats-periods';

describe('ratio', () => {
  it("gives the seed's success rate exactly", () => {
    expect(ratio(656, 976)).toBe(0.6721);
    expect(ratio(656, 656)).toBe(1);
  });

  it('rounds half up without floating-point error, and is null for an empty denominator', () => {
    expect(ratio(1, 8)).toBe(0.125);
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(2, 3)).toBe(0.6667);
    expect(ratio(1, 20000)).toBe(0.0001); // 0.00005 rounds up
    expect(ratio(1, 20001)).toBe(0);
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(0, 7)).toBe(0);
    expect(ratio(1, 3, 1)).toBe(0.3);
  });

  it('answers as the BigInt arithmetic it had before issue 17, for small and huge counts', () => {
    const bigRatio = (n: number, d: number, decimals = 4) => {
      if (d === 0) return null;
      const scale = 10n ** BigInt(decimals);
      return Number((2n * BigInt(n) * scale + BigInt(d)) / (2n * BigInt(d))) / Number(scale);
    };
    let s = 3;
    const random = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pairs: Array<[number, number, number]> = [];
    for (let i = 0; i < 20000; i++) {
      const magnitude = 10 ** Math.floor(random() * 16); // up to 10^15: past 2^53 / 20000 the BigInt path answers
      const d = Math.floor(random() * magnitude);
      pairs.push([Math.floor(random() * (d + 1)), d, i % 5 === 0 ? 1 + (i % 6) : 4]);
    }
    for (let d = 1; d <= 400; d++) for (let n = 0; n <= d; n++) pairs.push([n, d, 4]);
    pairs.push([Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 4], [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, 4], [1, Number.MAX_SAFE_INTEGER, 4]);
    expect(pairs.filter(([n, d, decimals]) => ratio(n, d, decimals) !== bigRatio(n, d, decimals))).toEqual([]);
  });

  it('refuses non-integers', () => {
    expect(() => ratio(0.5, 2)).toThrow(RangeError);
  });
});

describe('answerFigures', () => {
  it('adds success and confirmation rates', () => {
    expect(answerFigures({ ...ZERO_FIGURES, concluded: 976, agreements: 656, failed: 320, confirmed: 656, confirmable: 656 }, 0)).toMatchObject({ successRate: 0.6721, confirmationRate: 1 });
    // Entrusted cases are closed by the court, not confirmed: they leave the confirmation rate alone.
    expect(answerFigures({ ...ZERO_FIGURES, concluded: 10, agreements: 8, courtConcluded: 3, confirmable: 5, confirmed: 5 }, 0)).toMatchObject({ successRate: 0.8, confirmationRate: 1 });
    expect(answerFigures(ZERO_FIGURES, 0)).toMatchObject({ successRate: null, confirmationRate: null, amountAgreed: '0.00' });
  });

  it('keeps the keys of the answer in their order: the raw figures, the rates, the consultations', () => {
    expect(Object.keys(answerFigures(ZERO_FIGURES, 3))).toEqual([...Object.keys(ZERO_FIGURES), 'successRate', 'confirmationRate', 'consultations']);
    expect(answerFigures(ZERO_FIGURES, 3).consultations).toBe(3);
  });
});

describe('periods', () => {
  it('splits a period into months clipped to it, empty months included', () => {
    expect(monthsOf({ from: '2025-11-15', to: '2026-02-03' })).toEqual([
      { month: '2025-11', from: '2025-11-15', to: '2025-11-30' },
      { month: '2025-12', from: '2025-12-01', to: '2025-12-31' },
      { month: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-03' },
    ]);
    expect(monthsOf({ from: '2024-02-01', to: '2024-02-29' })).toEqual([{ month: '2024-02', from: '2024-02-01', to: '2024-02-29' }]);
    expect(monthsOf({ from: '2021-01-01', to: '2025-12-31' })).toHaveLength(60);
  });

  it('validates order and length', () => {
    expect(periodDays({ from: '2026-01-01', to: '2026-01-01' })).toBe(1);
    expect(periodDays({ from: '2024-01-01', to: '2024-12-31' })).toBe(366);
    expect(() => validatePeriod({ from: '2026-02-01', to: '2026-01-31' })).toThrow(/from must not be after to/);
    expect(() => validatePeriod({ from: '2000-01-01', to: '2026-01-01' })).toThrow(/at most/);
  });

  it('groups the days without a current snapshot into runs', () => {
    const covered = new Set(['2026-01-02', '2026-01-03', '2026-01-05']);
    expect(uncoveredRuns({ from: '2026-01-01', to: '2026-01-07' }, covered)).toEqual([
      { first: '2026-01-01', last: '2026-01-01' },
      { first: '2026-01-04', last: '2026-01-04' },
      { first: '2026-01-06', last: '2026-01-07' },
    ]);
    expect(uncoveredRuns({ from: '2026-01-02', to: '2026-01-03' }, covered)).toEqual([]);
    expect(uncoveredRuns({ from: '2025-12-30', to: '2026-01-02' }, new Set())).toEqual([{ first: '2025-12-30', last: '2026-01-02' }]);
    // A covered month covers each of its days (28 in February 2026).
    expect(uncoveredRuns({ from: '2026-01-30', to: '2026-03-02' }, ['2026-03-01'], ['2026-02-01'])).toEqual([
      { first: '2026-01-30', last: '2026-01-31' },
      { first: '2026-03-02', last: '2026-03-02' },
    ]);
    expect(uncoveredRuns({ from: '2021-01-01', to: '2025-12-31' }, [])).toEqual([{ first: '2021-01-01', last: '2025-12-31' }]);
  });
});
