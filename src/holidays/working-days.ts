/**
 * Working days (pure): a court period whose last day falls on a statutory holiday or a rest day
 * ends on the next working day (Civil Procedure Law art. 85). Rest days are Saturdays and Sundays
 * unless the State Council's arrangement makes them working days (调休); holidays are the days off
 * of the arrangement.
 */
import { addDays, endOfShanghaiDay, shanghaiDate } from '../common/business-time';

export interface HolidayCalendar {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

export const EMPTY_CALENDAR: HolidayCalendar = { holidays: new Set(), workdays: new Set() };

export function isWorkingDay(date: string, calendar: HolidayCalendar): boolean {
  if (calendar.workdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The date itself when it is a working day, else the first working day after it. */
export function workingDayOnOrAfter(date: string, calendar: HolidayCalendar): string {
  let day = date;
  // A holiday block is at most a few weeks long; a year bounds a corrupt calendar.
  for (let i = 0; i < 366 && !isWorkingDay(day, calendar); i++) day = addDays(day, 1);
  return day;
}

/**
 * The end (24:00 Shanghai, stored as the next day's 00:00) of a court period of `days` days
 * counted from the day after `from`, moved to the next working day when its last day is a rest
 * day or a holiday.
 */
export function courtPeriodEnd(from: Date, days: number, calendar: HolidayCalendar): Date {
  return endOfShanghaiDay(workingDayOnOrAfter(addDays(shanghaiDate(from), days), calendar));
}
