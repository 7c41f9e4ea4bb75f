import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HolidayEntry } from './holiday-calendar-data';

/** The holiday calendar's SQL. */
@Injectable()
export class HolidaysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async all(): Promise<HolidayEntry[]> {
    return this.db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, name FROM holidays ORDER BY day`);
  }

  async ofYear(year: number): Promise<HolidayEntry[]> {
    return this.db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, name FROM holidays WHERE extract(year FROM day) = $1 ORDER BY day`, [year]);
  }

  /** Replaces one year's entries in one transaction. */
  async replaceYear(year: number, entries: HolidayEntry[]): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.query(`DELETE FROM holidays WHERE extract(year FROM day) = $1`, [year]);
      if (!entries.length) return;
      await em.query(`INSERT INTO holidays (day, kind, name) SELECT * FROM unnest($1::date[], $2::varchar[], $3::varchar[])`, [
        entries.map((e) => e.day),
        entries.map((e) => e.kind),
        entries.map((e) => e.name),
      ]);
    });
  }
}
