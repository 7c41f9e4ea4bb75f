/**
 * Statistics periods: what a period is, its default, its limits, and how it divides into months
 * and days. The one definition used by the statistics service, the repositories, the snapshot job
 * and the bench's floor.
 */
import { dateOfDayNumber, dayNumber, dayNumberOf, daysInMonth, formatDate } from '../common/business-time';
import { invalidInput } from '../common/errors/domain-error';
import { setNewest } from '../common/bounded-map';

/** Calendar dates (Asia/Shanghai), both inclusive. */
export interface Period {
  from: string;
  to: string;
}

/** The longest period a statistics request may cover (ten years and a bit). */
export const MAX_PERIOD_DAYS = 3700;

/** A request's period: `to` defaults to today, `from` to the first of January of `to`'s year. */
export function requestedPeriod(from: string | undefined, to: string | undefined, today: string): Period {
  const end = to ?? today;
  return { from: from ?? `${end.slice(0, 4)}-01-01`, to: end };
}

export function periodDays(period: Period): number {
  return dayNumber(period.to) - dayNumber(period.from) + 1;
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
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return formatDate(year, m, daysInMonth(year, m));
}

/** A month of a period ('YYYY-MM'), with its first and last day clipped to the period. */
export interface PeriodMonth {
  month: string;
  from: string;
  to: string;
}

/** How many periods' months monthsOf keeps. */
const REMEMBERED_PERIODS = 64;
const monthsOfPeriod = new Map<string, readonly PeriodMonth[]>();

/**
 * The months of a period, each clipped to the period (none when `from` is after `to`), frozen: the
 * same array for the same period while it is remembered (64 periods, the first asked forgotten
 * first). A five-year timeseries asks
 * for its 61 months every request, and formatting them took some 10 µs and 25 KB of garbage a
 * request (issue 17).
 */
export function monthsOf(period: Period): readonly PeriodMonth[] {
  const key = `${period.from}..${period.to}`;
  let months = monthsOfPeriod.get(key);
  if (!months) {
    months = Object.freeze(periodMonths(period).map((m) => Object.freeze(m)));
    setNewest(monthsOfPeriod, key, months, REMEMBERED_PERIODS);
  }
  return months;
}

function periodMonths(period: Period): PeriodMonth[] {
  const months: PeriodMonth[] = [];
  if (period.from > period.to) return months;
  let year = Number(period.from.slice(0, 4));
  let month = Number(period.from.slice(5, 7));
  const lastMonth = period.to.slice(0, 7);
  for (let from = period.from; ; from = formatDate(year, month, 1)) {
    const key = from.slice(0, 7);
    const to = key === lastMonth ? period.to : formatDate(year, month, daysInMonth(year, month));
    months.push({ month: key, from, to });
    if (key === lastMonth) return months;
    if (month === 12) {
      year++;
      month = 1;
    } else {
      month++;
    }
  }
}

/** Consecutive days counted live. */
export interface DayRun {
  first: string;
  last: string;
}

/** Groups the days of the period that are not covered (by a day, or by a month 'YYYY-MM-01') into runs of consecutive days. */
export function uncoveredRuns(period: Period, coveredDays: Iterable<string>, coveredMonths: Iterable<string> = []): DayRun[] {
  const firstDay = dayNumber(period.from);
  const days = dayNumber(period.to) - firstDay + 1;
  if (days <= 0) return [];
  // One flag per day of the period; covered days and months outside it are clipped away.
  const covered = new Uint8Array(days);
  const cover = (first: number, last: number) => covered.fill(1, Math.max(0, first - firstDay), Math.max(0, last - firstDay + 1));
  for (const day of coveredDays) cover(dayNumber(day), dayNumber(day));
  for (const month of coveredMonths) {
    const year = Number(month.slice(0, 4));
    const m = Number(month.slice(5, 7));
    cover(dayNumber(month), dayNumberOf(year, m, daysInMonth(year, m)));
  }
  const runs: DayRun[] = [];
  for (let i = 0; i < days; i++) {
    if (covered[i]) continue;
    const first = i;
    while (i + 1 < days && !covered[i + 1]) i++;
    runs.push({ first: dateOfDayNumber(firstDay + first), last: dateOfDayNumber(firstDay + i) });
  }
  return runs;
}
