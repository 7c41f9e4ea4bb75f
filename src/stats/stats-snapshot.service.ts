import { Injectable, Logger } from '@nestjs/common';
import { addDays, endOfShanghaiDay, shanghaiDate, startOfShanghaiDay } from '../common/business-time';
import { Clock } from '../common/clock';
import { monthEnd, monthStart } from './stats-periods';
import { StatsSnapshotRepository } from './stats-snapshot.repository';

/** The daily job re-snapshots these last days even when they look current (cheap insurance). */
export const REPAIR_DAYS = 7;
/** How far back the daily job looks for days that were never snapshotted or were invalidated. */
export const MAX_CATCH_UP_DAYS = 3700;

export interface SnapshotRunResult {
  days: number;
  months: number;
  /** Snapshot rows inserted, changed or deleted (0 when the snapshots were already current). */
  changedRows: number;
}

/**
 * Writes the daily snapshots (stats_daily: per day, workstation and dispute type;
 * stats_daily_mediator: per day, workstation and mediator; stats_daily_workstation: per day and
 * workstation) and their monthly rollups (stats_monthly, stats_monthly_mediator,
 * stats_monthly_workstation), and marks them current (stats_snapshot_days / _months).
 *
 * Why a snapshot can be trusted: the triggers of the StatsSnapshots migration remove a day (and,
 * since StatsMonthlyRollups, its month) from the coverage tables in the transaction of any change
 * that moves that day's figures, after taking a shared advisory lock on the day and on the month.
 * A snapshot takes the exclusive lock on its day *before* it reads the cases (READ COMMITTED: each
 * statement sees what was committed when it started), so a writer either committed before the
 * snapshot read (and is counted) or waits for the snapshot to commit and then invalidates it.
 * A rollup does the same with the month's lock, and rolls up only a month whose every day is
 * current. One day or one month per transaction, so snapshot writers hold one exclusive lock each
 * and cannot deadlock with case writers. Only past days are snapshotted: today is always live.
 *
 * Idempotent: rows are upserted only where a figure differs and rows of vanished groups deleted,
 * so running the same days twice writes nothing the second time.
 */
@Injectable()
export class StatsSnapshotService {
  private readonly logger = new Logger(StatsSnapshotService.name);

  constructor(
    private readonly snapshots: StatsSnapshotRepository,
    private readonly clock: Clock,
  ) {}

  /** The last day that can be snapshotted: yesterday in Shanghai. */
  lastClosedDay(): string {
    return addDays(shanghaiDate(this.clock.now()), -1);
  }

  /** Snapshots one past day (all workstations); returns the number of rows written. */
  async snapshotDay(day: string): Promise<number> {
    if (day > this.lastClosedDay()) throw new RangeError(`Cannot snapshot ${day}: only days before today are snapshotted`);
    return this.snapshots.writeDay(day, startOfShanghaiDay(day), endOfShanghaiDay(day));
  }

  /**
   * Rolls up a past month from its daily snapshots when every day of it is current; returns the
   * rows written, or null when some day is not current (the month is then read day by day).
   */
  async rollupMonth(month: string): Promise<number | null> {
    if (monthEnd(month) > this.lastClosedDay()) return null;
    return this.snapshots.writeMonth(month);
  }

  /** Snapshots every day of [from, to] that is before today, then rolls up the months they complete. */
  async snapshotPeriod(from: string, to: string): Promise<SnapshotRunResult> {
    const last = to < this.lastClosedDay() ? to : this.lastClosedDay();
    const days: string[] = [];
    for (let day = from; day <= last; day = addDays(day, 1)) days.push(day);
    return this.run(days, []);
  }

  /**
   * The daily job: re-snapshots the last REPAIR_DAYS days and every earlier day that has cases but
   * no current snapshot (never taken, or invalidated by a later change such as a confirmation
   * ruling on a case concluded weeks ago), then rolls up every complete month that is not current.
   */
  async runDaily(): Promise<SnapshotRunResult> {
    const last = this.lastClosedDay();
    const repairFrom = addDays(last, -(REPAIR_DAYS - 1));
    const earliest = addDays(last, -MAX_CATCH_UP_DAYS);
    const days = await this.snapshots.daysWithoutSnapshot(earliest, repairFrom);
    const staleMonths = await this.snapshots.monthsWithoutRollup(earliest, repairFrom, last);
    for (let day = repairFrom; day <= last; day = addDays(day, 1)) days.push(day);
    const result = await this.run(days, staleMonths);
    this.logger.log(`daily statistics snapshot: ${result.days} day(s), ${result.months} month(s), ${result.changedRows} row(s) changed, up to ${last}`);
    return result;
  }

  private async run(days: string[], extraMonths: string[]): Promise<SnapshotRunResult> {
    const result: SnapshotRunResult = { days: 0, months: 0, changedRows: 0 };
    for (const day of days) {
      result.changedRows += await this.snapshotDay(day);
      result.days++;
    }
    const months = [...new Set([...days.map(monthStart), ...extraMonths])].sort();
    for (const month of months) {
      const written = await this.rollupMonth(month);
      if (written === null) continue;
      result.changedRows += written;
      result.months++;
    }
    return result;
  }
}
