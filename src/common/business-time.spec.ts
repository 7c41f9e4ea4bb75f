import {
  addDays,
  atShanghaiTime,
  dateOfDayNumber,
  dayNumber,
  dayNumberOf,
  daysInMonth,
  endOfShanghaiDay,
  formatDate,
  isLeapYear,
  isValidCalendarDate,
  shanghaiDate,
  shanghaiYear,
  startOfShanghaiDay,
} from './business-time';

/**
 * The Date-based implementations these functions had before issue 17 (integer day numbers since),
 * kept as the reference: the new ones must answer exactly as they did.
 */
const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const before = {
  shanghaiDate: (at: Date) => new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10),
  startOfShanghaiDay(date: string): Date {
    const [y, m, d] = date.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d) - OFFSET_MS);
  },
  endOfShanghaiDay: (date: string) => new Date(before.startOfShanghaiDay(date).getTime() + DAY_MS),
  addDays: (date: string, days: number) => new Date(before.startOfShanghaiDay(date).getTime() + OFFSET_MS + days * DAY_MS).toISOString().slice(0, 10),
  atShanghaiTime: (date: string, hour: number, minute = 0) => new Date(before.startOfShanghaiDay(date).getTime() + (hour * 60 + minute) * 60000),
  isValidCalendarDate(date: string): boolean {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
    const d = new Date(`${date}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
  },
  shanghaiYear: (at: Date) => Number(before.shanghaiDate(at).slice(0, 4)),
};

/** Every calendar date from `from` to `to`, both inclusive (through the old Date arithmetic, independent of the code under test). */
function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += DAY_MS) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}

/** Two centuries of days: month and year ends, 1900 and 2100 (not leap), 2000 (leap), every 29 February between. */
const DATES = datesBetween('1899-12-01', '2101-01-31');

/**
 * The inputs on which `actual` and `expected` differ (none expected). Collected in one array and
 * compared once: an expect() per input would take minutes over these many dates.
 */
function differences<T>(inputs: T[], actual: (input: T) => unknown, expected: (input: T) => unknown): Array<{ input: T; actual: unknown; expected: unknown }> {
  const out: Array<{ input: T; actual: unknown; expected: unknown }> = [];
  for (const input of inputs) {
    const a = actual(input);
    const e = expected(input);
    if (a !== e) out.push({ input, actual: a, expected: e });
  }
  return out;
}

/** A small deterministic generator, so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('business time: integer day numbers', () => {
  it('numbers every date as the old Date arithmetic did, and dateOfDayNumber inverts it', () => {
    expect(differences(DATES, dayNumber, (date) => (before.startOfShanghaiDay(date).getTime() + OFFSET_MS) / DAY_MS)).toEqual([]);
    expect(differences(DATES, (date) => dateOfDayNumber(dayNumber(date)), (date) => date)).toEqual([]);
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2000-03-01') - dayNumber('2000-02-28')).toBe(2);
    expect(dayNumber('1900-03-01') - dayNumber('1900-02-28')).toBe(1);
    expect(dayNumber('2100-03-01') - dayNumber('2100-02-28')).toBe(1);
  });

  it('covers years 0000 to 9999 (the years a calendar date may have), where Date.UTC takes 0 to 99 for 1900 to 1999', () => {
    const utcDay = ([y, m, d]: number[]) => {
      const at = new Date(0);
      at.setUTCFullYear(y, m - 1, d);
      return at.getTime() / DAY_MS;
    };
    const random = seeded(17);
    const days: number[][] = [];
    for (let i = 0; i < 20000; i++) {
      const year = Math.floor(random() * 10000);
      const month = 1 + Math.floor(random() * 12);
      days.push([year, month, 1 + Math.floor(random() * daysInMonth(year, month))]);
    }
    const dateOf = ([y, m, d]: number[]) => formatDate(y, m, d);
    expect(differences(days, (ymd) => dayNumber(dateOf(ymd)), utcDay)).toEqual([]);
    expect(differences(days, ([y, m, d]) => dayNumberOf(y, m, d), utcDay)).toEqual([]);
    expect(differences(days, (ymd) => dateOfDayNumber(dayNumber(dateOf(ymd))), dateOf)).toEqual([]);
    expect(dateOfDayNumber(dayNumber('0000-01-01'))).toBe('0000-01-01');
    expect(dateOfDayNumber(dayNumber('9999-12-31'))).toBe('9999-12-31');
    expect(dayNumber('0001-01-01') - dayNumber('0000-01-01')).toBe(366); // year 0 is a leap year (proleptic Gregorian)
  });

  it('knows the month lengths and the leap years', () => {
    expect([1900, 1999, 2000, 2023, 2024, 2100, 2400].map(isLeapYear)).toEqual([false, false, true, false, true, false, true]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(formatDate(7, 3, 9)).toBe('0007-03-09');
  });
});

describe('business time: the same answers as before', () => {
  it('startOfShanghaiDay, endOfShanghaiDay and atShanghaiTime', () => {
    expect(differences(DATES, (d) => startOfShanghaiDay(d).getTime(), (d) => before.startOfShanghaiDay(d).getTime())).toEqual([]);
    expect(differences(DATES, (d) => endOfShanghaiDay(d).getTime(), (d) => before.endOfShanghaiDay(d).getTime())).toEqual([]);
    const times = DATES.filter((_, i) => i % 11 === 0).flatMap((date) => [[date, 0, 0], [date, 9, 0], [date, 23, 59]] as Array<[string, number, number]>);
    expect(differences(times, ([d, h, m]) => atShanghaiTime(d, h, m).getTime(), ([d, h, m]) => before.atShanghaiTime(d, h, m).getTime())).toEqual([]);
    expect(startOfShanghaiDay('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('addDays, forwards and back, over month and year ends and leap days', () => {
    const steps = [-3700, -1827, -366, -365, -31, -29, -28, -1, 0, 1, 28, 29, 30, 31, 365, 366, 1827, 3700];
    // Every first and last day of a month (so every 28 and 29 February, 31 December, 1 January), and some days between.
    const edges = DATES.filter((d, i) => i % 13 === 0 || d.endsWith('-01') || DATES[i + 1]?.endsWith('-01'));
    const cases = edges.flatMap((date) => steps.map((days) => [date, days] as [string, number]));
    expect(differences(cases, ([d, n]) => addDays(d, n), ([d, n]) => before.addDays(d, n))).toEqual([]);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });

  it('shanghaiDate and shanghaiYear, on both sides of Shanghai midnight (16:00 UTC)', () => {
    const instants = DATES.filter((d, i) => i % 3 === 0 || d.endsWith('-01')).flatMap((date) => {
      const midnight = before.startOfShanghaiDay(date).getTime();
      return [midnight - 1, midnight, midnight + 1, midnight + OFFSET_MS - 1, midnight + OFFSET_MS, midnight + DAY_MS - 1].map((at) => new Date(at));
    });
    expect(differences(instants, shanghaiDate, before.shanghaiDate)).toEqual([]);
    expect(differences(instants, shanghaiYear, before.shanghaiYear)).toEqual([]);
    expect(shanghaiDate(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
    expect(shanghaiDate(new Date('2025-12-31T16:00:00.000Z'))).toBe('2026-01-01');
    expect(shanghaiDate(new Date('1969-12-31T16:00:00.000Z'))).toBe('1970-01-01');
    expect(shanghaiDate(new Date('1969-12-31T15:59:59.999Z'))).toBe('1969-12-31');
  });

  it('isValidCalendarDate, on real and impossible dates', () => {
    expect(DATES.filter((d) => !isValidCalendarDate(d))).toEqual([]);
    const candidates = [
      ...['1900', '2000', '2023', '2024', '2100', '0000', '9999'].flatMap((y) =>
        ['00', '01', '02', '04', '06', '09', '11', '12', '13', '99'].flatMap((m) => ['00', '01', '28', '29', '30', '31', '32', '99'].map((d) => `${y}-${m}-${d}`)),
      ),
      '2026-1-01', '2026-01-1', '20260101', '2026/01/01', ' 2026-01-01', '2026-01-01 ', '2026-01-01T00:00', '+02026-01-01', '', 'abcd-ef-gh', '２０２６-01-01',
    ];
    expect(differences(candidates, isValidCalendarDate, before.isValidCalendarDate)).toEqual([]);
    expect(isValidCalendarDate('2024-02-29')).toBe(true);
    expect(isValidCalendarDate('2100-02-29')).toBe(false);
  });
});
