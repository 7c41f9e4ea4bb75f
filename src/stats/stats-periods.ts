/**
 * Statistics periods: what a period is, its default, its limits, and how it divides into months
 * and days. The one definition used by the statistics service, the repositories, the snapshot job
 * and the bench's floor.
 */
import { addDays, startOfShanghaiDay } from '../common/business-time';
import { invalidInput } from '../common/errors/domain-error';

/** Calendar dates (Asia/Shanghai), both inclusive. */
export interface Period {
  from: string;
  to: string;
}

/** The longest period a statistics request may cover (ten years and a bit). */
export const MAX_PERIOD_DAYS = 3700;

const DAY_MS = 24 * 3600 * 1000;

/** A request's period: `to` defaults to today, `from` to the first of January of `to`'s year. */
export function requestedPeriod(from: string | undefined, to: string | undefined, today: string): Period {
  const end = to ?? today;
  return { from: from ?? `${end.slice(0, 4)}-01-01`, to: end };
}

export function periodDays(period: Period): number {
  return Math.round((startOfShanghaiDay(period.to).getTime() - startOfShanghaiDay(period.from).getTime()) / DAY_MS) + 1;
}

export function validatePeriod(period: Period): Period {
  if (period.from > period.to) throw invalidInput('from must not be after to', { field: 'from' });
  if (periodDays(period) > MAX_PERIOD_DAYS) {
    throw invalidInput(`the period may cover at most ${MAX_PERIOD_DAYS} days`, { field: 'from' });
  }
  return period;
}

/** The first day of each month, and its last day. */
export const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`, -1);
}

/** The months of a period, each clipped to the period. */
export function monthsOf(period: Period): Array<{ month: string; from: string; to: string }> {
  const months: Array<{ month: string; from: string; to: string }> = [];
  let start = period.from;
  while (start <= period.to) {
    const end = monthEnd(start) < period.to ? monthEnd(start) : period.to;
    months.push({ month: start.slice(0, 7), from: start, to: end });
    start = addDays(monthEnd(start), 1);
  }
  return months;
}

/** Consecutive days counted live. */
export interface DayRun {
  first: string;
  last: string;
}

/** Calendar date <-> day number (days since 1970-01-01), for cheap iteration over long periods. */
const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
const dateOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Groups the days of the period that are not covered (by a day, or by a month 'YYYY-MM-01') into runs of consecutive days. */
export function uncoveredRuns(period: Period, coveredDays: Iterable<string>, coveredMonths: Iterable<string> = []): DayRun[] {
  const covered = new Set<number>();
  for (const day of coveredDays) covered.add(dayNumber(day));
  for (const month of coveredMonths) for (let n = dayNumber(month), end = dayNumber(monthEnd(month)); n <= end; n++) covered.add(n);
  const runs: DayRun[] = [];
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
}
