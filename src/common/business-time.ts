/**
 * Day boundaries are Asia/Shanghai (UTC+8 all year, no daylight saving), whatever the server's
 * zone. Calendar dates are 'YYYY-MM-DD' strings (years 0000 to 9999, proleptic Gregorian);
 * instants are Date (stored as timestamptz).
 *
 * The statistics walk five or ten years of days and months per request, so the calendar rules
 * are plain integer arithmetic on day numbers (days since 1970-01-01) here, without Date objects:
 * `dayNumber` and `dateOfDayNumber` convert, `daysInMonth` is the month rule.
 */
export const BUSINESS_TZ = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days of the year before the first of each month, in a common year. */
const DAYS_BEFORE_MONTH = MONTH_DAYS.map((_, i) => MONTH_DAYS.slice(0, i).reduce((a, b) => a + b, 0));

/** Days in a month (1 to 12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
}

/** Leap years from year 1 up to the year before `year`. */
const leapYearsBefore = (year: number) => Math.floor((year - 1) / 4) - Math.floor((year - 1) / 100) + Math.floor((year - 1) / 400);
/** Day number of 1 January of a year. */
const yearStart = (year: number) => 365 * (year - 1970) + leapYearsBefore(year) - leapYearsBefore(1970);

/** The day number of a calendar day (1970-01-01 is 0). */
export function dayNumberOf(year: number, month: number, day: number): number {
  return yearStart(year) + DAYS_BEFORE_MONTH[month - 1] + (month > 2 && isLeapYear(year) ? 1 : 0) + day - 1;
}

/** The day number of a calendar date 'YYYY-MM-DD' (1970-01-01 is 0). */
export function dayNumber(date: string): number {
  return dayNumberOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** 'YYYY-MM-DD' of a year, month (1 to 12) and day. */
export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** The calendar date of a day number (the inverse of dayNumber). */
export function dateOfDayNumber(n: number): string {
  // 365.2425 days is the mean Gregorian year: the estimate is off by at most one year.
  let year = 1970 + Math.floor(n / 365.2425);
  if (yearStart(year) > n) year--;
  else if (yearStart(year + 1) <= n) year++;
  let day = n - yearStart(year) + 1;
  let month = 1;
  while (day > daysInMonth(year, month)) day -= daysInMonth(year, month++);
  return formatDate(year, month, day);
}

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date): string {
  return dateOfDayNumber(Math.floor((at.getTime() + OFFSET_MS) / DAY_MS));
}

/** 00:00 Shanghai of a day number, as milliseconds since the epoch. */
const shanghaiMidnightMs = (day: number) => day * DAY_MS - OFFSET_MS;

/** 00:00 Shanghai of a calendar date. */
export function startOfShanghaiDay(date: string): Date {
  return new Date(shanghaiMidnightMs(dayNumber(date)));
}

/** The instant that ends a calendar date (24:00 Shanghai, i.e. 00:00 of the next day). */
export function endOfShanghaiDay(date: string): Date {
  return new Date(shanghaiMidnightMs(dayNumber(date) + 1));
}

export function addDays(date: string, days: number): string {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** A wall-clock time in Shanghai on a calendar date, e.g. 09:00 for day reminders. */
export function atShanghaiTime(date: string, hour: number, minute = 0): Date {
  return new Date(startOfShanghaiDay(date).getTime() + (hour * 60 + minute) * 60000);
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidCalendarDate(date: string): boolean {
  if (!CALENDAR_DATE.test(date)) return false;
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(date.slice(0, 4)), month);
}

export function shanghaiYear(at: Date): number {
  return Number(shanghaiDate(at).slice(0, 4));
}
