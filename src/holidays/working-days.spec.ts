import { startOfShanghaiDay } from '../common/business-time';
import { SEEDED_HOLIDAYS } from './holiday-calendar-data';
import { courtPeriodEnd, HolidayCalendar, isWorkingDay, workingDayOnOrAfter } from './working-days';

const calendar: HolidayCalendar = {
  holidays: new Set(SEEDED_HOLIDAYS.filter((h) => h.kind === 'holiday').map((h) => h.day)),
  workdays: new Set(SEEDED_HOLIDAYS.filter((h) => h.kind === 'workday').map((h) => h.day)),
};

describe('working days', () => {
  it('knows the 2026 National Day week: 1-7 October off, Saturday 10 October a working day', () => {
    for (let d = 1; d <= 7; d++) expect(isWorkingDay(`2026-10-0${d}`, calendar)).toBe(false);
    expect(isWorkingDay('2026-10-08', calendar)).toBe(true);
    expect(isWorkingDay('2026-10-10', calendar)).toBe(true); // 调休 Saturday
    expect(isWorkingDay('2026-10-11', calendar)).toBe(false); // an ordinary Sunday
    expect(isWorkingDay('2026-09-20', calendar)).toBe(true); // 调休 Sunday
  });

  it('moves a last day inside the holiday to the first working day after it', () => {
    expect(workingDayOnOrAfter('2026-10-01', calendar)).toBe('2026-10-08');
    expect(workingDayOnOrAfter('2026-10-08', calendar)).toBe('2026-10-08');
    expect(workingDayOnOrAfter('2026-03-08', calendar)).toBe('2026-03-09'); // a Sunday
    expect(workingDayOnOrAfter('2025-10-04', calendar)).toBe('2025-10-09'); // 2025: 1-8 October off
  });

  it('ends a 15-day period received on 18 September 2026 (last day 3 October) at 24:00 on 8 October', () => {
    expect(courtPeriodEnd(startOfShanghaiDay('2026-09-18'), 15, calendar).toISOString()).toBe('2026-10-08T16:00:00.000Z');
    // A period whose last day is a working day is not moved.
    expect(courtPeriodEnd(startOfShanghaiDay('2026-09-23'), 15, calendar).toISOString()).toBe('2026-10-08T16:00:00.000Z');
    expect(courtPeriodEnd(startOfShanghaiDay('2026-09-24'), 15, calendar).toISOString()).toBe('2026-10-09T16:00:00.000Z');
  });
});
