import { Injectable } from '@nestjs/common';
import { isValidCalendarDate } from '../common/business-time';
import { invalidInput } from '../common/errors/domain-error';
import { HolidayEntry } from './holiday-calendar-data';
import { HolidaysRepository } from './holidays.repository';
import { HolidayCalendar } from './working-days';

/** How long one instance trusts its copy of the calendar (another instance may have changed it). */
const CACHE_MS = 60_000;

/** The holiday calendar that admins keep (the State Council's yearly 放假安排), read by the court periods. */
@Injectable()
export class HolidaysService {
  private cached: { at: number; calendar: Promise<HolidayCalendar> } | null = null;

  constructor(private readonly repo: HolidaysRepository) {}

  calendar(): Promise<HolidayCalendar> {
    if (!this.cached || Date.now() - this.cached.at > CACHE_MS) {
      const calendar = this.repo.all().then((rows) => ({
        holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.day)),
        workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.day)),
      }));
      calendar.catch(() => (this.cached = null));
      this.cached = { at: Date.now(), calendar };
    }
    return this.cached.calendar;
  }

  async list(year: number) {
    return { year, days: await this.repo.ofYear(year) };
  }

  async replaceYear(year: number, days: HolidayEntry[]) {
    const seen = new Set<string>();
    days.forEach((d, i) => {
      const field = `days.${i}.day`;
      if (!isValidCalendarDate(d.day)) throw invalidInput(`${field} is not a calendar date`, { field }, `第 ${i + 1} 项日期不是有效的日历日期`);
      if (Number(d.day.slice(0, 4)) !== year) throw invalidInput(`${field} is not in ${year}`, { field }, `第 ${i + 1} 项日期不在 ${year} 年`);
      if (seen.has(d.day)) throw invalidInput(`${field} is listed twice`, { field }, `第 ${i + 1} 项日期重复`);
      seen.add(d.day);
    });
    await this.repo.replaceYear(year, days);
    this.cached = null;
    return this.list(year);
  }
}
