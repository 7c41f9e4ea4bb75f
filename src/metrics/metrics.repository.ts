import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface OutboxFigures {
  /** Rows written but not yet put on the queue. */
  pending: number;
  /** Age of the oldest pending row, in seconds (0 when none). */
  oldestPendingSeconds: number;
  /** Rows on the queue whose time has passed and that are not delivered yet. */
  overdue: number;
}

/** The statements /metrics runs at each scrape (cheap: partial indexes on the outbox). */
@Injectable()
export class MetricsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async reminderOutbox(): Promise<OutboxFigures> {
    const [row] = await this.dataSource.query<Array<{ pending: number; oldest: number | null; overdue: number }>>(
      `SELECT (SELECT count(*)::int FROM reminders WHERE status = 'pending') AS pending,
              (SELECT extract(epoch FROM now() - min(created_at))::float8 FROM reminders WHERE status = 'pending') AS oldest,
              (SELECT count(*)::int FROM reminders WHERE status = 'enqueued' AND fire_at < now()) AS overdue`,
    );
    return { pending: row.pending, oldestPendingSeconds: Math.max(0, row.oldest ?? 0), overdue: row.overdue };
  }

  /** The pg pool under TypeORM: connections open, idle, and requests waiting for one. */
  pool(): { total: number; idle: number; waiting: number } {
    const pool = (this.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
    return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
  }
}
