import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export type Outbox = 'reminders' | 'webhooks';

export interface OutboxFigures {
  /** Rows written but not yet put on the queue. */
  pending: number;
  /** Age of the oldest pending row, in seconds (0 when none). */
  oldestPendingSeconds: number;
  /** Rows on the queue whose time has passed and that are not delivered yet (webhooks: all on the queue). */
  overdue: number;
}

/** The statements /metrics runs at each scrape (cheap: partial indexes on the outbox). */
@Injectable()
export class MetricsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Both outboxes in one round trip: reminders (due at `fire_at`) and webhook deliveries (due at once). */
  async outboxes(): Promise<Record<Outbox, OutboxFigures>> {
    const [row] = await this.dataSource.query<Array<Record<string, number | null>>>(
      `SELECT (SELECT count(*)::int FROM reminders WHERE status = 'pending') AS r_pending,
              (SELECT extract(epoch FROM now() - min(created_at))::float8 FROM reminders WHERE status = 'pending') AS r_oldest,
              (SELECT count(*)::int FROM reminders WHERE status = 'enqueued' AND fire_at < now()) AS r_overdue,
              (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'pending') AS w_pending,
              (SELECT extract(epoch FROM now() - min(created_at))::float8 FROM webhook_deliveries WHERE status = 'pending') AS w_oldest,
              (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'enqueued') AS w_overdue`,
    );
    const figures = (p: string): OutboxFigures => ({ pending: Number(row[`${p}_pending`]), oldestPendingSeconds: Math.max(0, Number(row[`${p}_oldest`] ?? 0)), overdue: Number(row[`${p}_overdue`]) });
    return { reminders: figures('r'), webhooks: figures('w') };
  }

  /** The pg pool under TypeORM: connections open, idle, and requests waiting for one. */
  pool(): { total: number; idle: number; waiting: number } {
    const pool = (this.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
    return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
  }
}
