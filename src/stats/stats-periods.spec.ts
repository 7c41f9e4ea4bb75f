import { monthEnd, monthsOf, periodDays, Period, uncoveredRuns } from './stats-periods';

/**
 * The Date-based implementations these functions had before issue 17 (integer day numbers since),
 * kept as the reference: the new ones must answer exactly as they did.
 */
const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
function startOfShanghaiDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) - OFFSET_MS);
}
const addDays = (date: string, days: number) => new Date(startOfShanghaiDay(date).getTime() + OFFSET_MS + days * DAY_MS).toISOString().slice(0, 10);
const before = {
  periodDays: (period: Period) => Math.round((startOfShanghaiDay(period.to).getTime() - startOfShanghaiDay(period.from).getTime()) / DAY_MS) + 1,
  monthEnd(month: string): string {
    const [y, m] = month.split('-').map(Number);
    return addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`, -1);
  },
  monthsOf(period: Period): Array<{ month: string; from: string; to: string }> {
    const months: Array<{ month: string; from: string; to: string }> = [];
    let start = period.from;
    while (start <= period.to) {
      const end = before.monthEnd(start) < period.to ? before.monthEnd(start) : period.to;
      months.push({ month: start.slice(0, 7), from: start, to: end });
      start = addDays(before.monthEnd(start), 1);
    }
    return months;
  },
  uncoveredRuns(period: Period, coveredDays: Iterable<string>, coveredMonths: Iterable<string> = []): Array<{ first: string; last: string }> {
    const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
    const dateOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
    const covered = new Set<number>();
    for (const day of coveredDays) covered.add(dayNumber(day));
    for (const month of coveredMonths) for (let n = dayNumber(month), end = dayNumber(before.monthEnd(month)); n <= end; n++) covered.add(n);
    const runs: Array<{ first: string; last: string }> = [];
    let first: number | null = null;
    const last = dayNumber(period.to);
    for (let n = dayNumber(period.from); n <= last + 1; n++) {
      if (n <= last && !covered.has(n)) {
        first ??= n;
      } else if (first !== null) {
        runs.push({ first: dateOf(first), last: dateOf(n - 1) });
        first = null;
      }
    }
    return runs;
  },
};

/** A small deterministic generator, so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const DAY0 = Date.UTC(1999, 0, 1);
const dateAt = (i: number) => new Date(DAY0 + i * DAY_MS).toISOString().slice(0, 10);

/**
 * Periods to compare on: random ones of up to ten years (the longest a request may ask for)
 * within 1999 to 2035, and the awkward ones: one day, a whole month, leap February, across a
 * year end, from a month's last day, to a month's first day, five years to "today" (a partial month).
 */
function periods(): Period[] {
  const random = seeded(42);
  const out: Period[] = [];
  for (let i = 0; i < 400; i++) {
    const from = Math.floor(random() * 9000);
    const length = [0, 1, 27, 28, 29, 30, 31, 59, 365, 366, 1826, 3699][i % 12] + (i % 3 === 0 ? Math.floor(random() * 400) : 0);
    out.push({ from: dateAt(from), to: dateAt(from + length) });
  }
  out.push(
    { from: '2026-11-28', to: '2026-11-28' },
    { from: '2024-02-01', to: '2024-02-29' },
    { from: '2023-02-01', to: '2023-02-28' },
    { from: '2024-02-29', to: '2024-03-01' },
    { from: '2025-12-31', to: '2026-01-01' },
    { from: '2025-11-30', to: '2026-02-01' },
    { from: '2021-11-29', to: '2026-11-28' },
    { from: '2016-11-28', to: '2026-11-28' },
    { from: '2000-02-28', to: '2000-03-01' },
    { from: '2099-12-31', to: '2100-03-01' },
  );
  return out;
}

describe('stats periods: the same answers as before', () => {
  it('monthEnd of every month of two centuries, given its first or any other day', () => {
    const wrong: string[] = [];
    for (let y = 1900; y <= 2100; y++) {
      for (let m = 1; m <= 12; m++) {
        for (const d of ['01', '15', '28']) {
          const day = `${y}-${String(m).padStart(2, '0')}-${d}`;
          if (monthEnd(day) !== before.monthEnd(day)) wrong.push(day);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(monthEnd('2024-02-01')).toBe('2024-02-29');
    expect(monthEnd('2100-02-01')).toBe('2100-02-28');
    expect(monthEnd('2025-12-01')).toBe('2025-12-31');
  });

  it('monthsOf gives a period its months once: the same frozen array while remembered', () => {
    const period = { from: '2021-11-29', to: '2026-11-28' };
    const months = monthsOf(period);
    expect(monthsOf({ ...period })).toBe(months);
    expect(Object.isFrozen(months) && months.every((m) => Object.isFrozen(m))).toBe(true);
    // Past the 64 remembered periods, the first is made again, equal.
    for (let i = 0; i < 64; i++) monthsOf({ from: '2020-01-01', to: addDays('2020-01-01', i) });
    expect(monthsOf(period)).not.toBe(months);
    expect(monthsOf(period)).toEqual(months);
  });

  it('periodDays and monthsOf of many periods', () => {
    const wrong = periods().filter((p) => periodDays(p) !== before.periodDays(p) || JSON.stringify(monthsOf(p)) !== JSON.stringify(before.monthsOf(p)));
    expect(wrong).toEqual([]);
    expect(monthsOf({ from: '2026-11-28', to: '2026-11-27' })).toEqual([]);
    expect(monthsOf({ from: '2021-11-29', to: '2026-11-28' })).toHaveLength(61);
    expect(monthsOf({ from: '2025-12-31', to: '2026-01-01' })).toEqual([
      { month: '2025-12', from: '2025-12-31', to: '2025-12-31' },
      { month: '2026-01', from: '2026-01-01', to: '2026-01-01' },
    ]);
  });

  it('uncoveredRuns under random coverage: days and months inside and outside the period, whole and partial', () => {
    const random = seeded(7);
    const wrong: unknown[] = [];
    for (const period of periods().filter((_, i) => i % 2 === 0)) {
      for (let k = 0; k < 4; k++) {
        // Days around the period (some outside it), and first days of months around it.
        const from = Math.round((Date.parse(period.from) - DAY0) / DAY_MS);
        const to = Math.round((Date.parse(period.to) - DAY0) / DAY_MS);
        const density = [0, 0.1, 0.6, 0.97][k];
        const days: string[] = [];
        for (let i = from - 40; i <= to + 40; i++) if (random() < density) days.push(dateAt(i));
        const months = [...new Set(days.filter(() => random() < 0.2).map((d) => `${d.slice(0, 7)}-01`))];
        const actual = JSON.stringify(uncoveredRuns(period, days, months));
        const expected = JSON.stringify(before.uncoveredRuns(period, days, months));
        if (actual !== expected) wrong.push({ period, days, months, actual, expected });
      }
    }
    expect(wrong).toEqual([]);
  });

  it("uncoveredRuns as the statistics use it: whole months and days snapshotted up to yesterday, today live", () => {
    const period = { from: '2021-11-29', to: '2026-11-28' };
    const months = monthsOf(period)
      .filter((m) => m.from.endsWith('-01') && m.to === monthEnd(m.from))
      .map((m) => m.from);
    const days = ['2021-11-29', '2021-11-30', ...Array.from({ length: 27 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`)];
    expect(uncoveredRuns(period, days, months)).toEqual([{ first: '2026-11-28', last: '2026-11-28' }]);
    expect(uncoveredRuns(period, days, months)).toEqual(before.uncoveredRuns(period, days, months));
    // A month invalidated by a late change (its days stay current) and a day invalidated in another.
    const gaps = { months: months.filter((m) => m !== '2024-02-01'), days: [...days, '2024-02-10'] };
    expect(uncoveredRuns(period, gaps.days, gaps.months)).toEqual([
      { first: '2024-02-01', last: '2024-02-09' },
      { first: '2024-02-11', last: '2024-02-29' },
      { first: '2026-11-28', last: '2026-11-28' },
    ]);
    expect(uncoveredRuns(period, gaps.days, gaps.months)).toEqual(before.uncoveredRuns(period, gaps.days, gaps.months));
  });
});
