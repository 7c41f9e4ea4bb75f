/**
 * Day boundaries are Asia/Shanghai (UTC+8 all year, no daylight saving), whatever the server's
 * zone. Calendar dates are 'YYYY-MM-DD' strings; instants are Date (stored as timestamptz).
 */
export const BUSINESS_TZ = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** 00:00 Shanghai of a calendar date. */
export function startOfShanghaiDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) - OFFSET_MS);
}

/** The instant that ends a calendar date (24:00 Shanghai, i.e. 00:00 of the next day). */
export function endOfShanghaiDay(date: string): Date {
  return new Date(startOfShanghaiDay(date).getTime() + DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(startOfShanghaiDay(date).getTime() + OFFSET_MS + days * DAY_MS).toISOString().slice(0, 10);
}

/** A wall-clock time in Shanghai on a calendar date, e.g. 09:00 for day reminders. */
export function atShanghaiTime(date: string, hour: number, minute = 0): Date {
  return new Date(startOfShanghaiDay(date).getTime() + (hour * 60 + minute) * 60000);
}

export function isValidCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

export function shanghaiYear(at: Date): number {
  return Number(shanghaiDate(at).slice(0, 4));
}
