import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WebhookEventType } from './webhook-events';

export type DeliveryStatus = 'pending' | 'enqueued' | 'delivered' | 'dead' | 'cancelled';
export const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'enqueued', 'delivered', 'dead', 'cancelled'];

export interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  workstation_id: string | null;
  active: boolean;
  created_by: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  case_id: string | null;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  enqueued_at: Date | null;
  delivered_at: Date | null;
  dead_at: Date | null;
  attempt_log: Array<{ attempt: number; at: string; status_code: number | null; error: string | null; duration_ms: number }>;
}

/** A pending delivery on its way to the queue; `attempts` > 0 marks a dead letter sent again. */
export interface PendingDelivery {
  id: string;
  attempts: number;
}

export interface DeliveryToSend {
  id: string;
  status: DeliveryStatus;
  event_type: string;
  body: string;
  url: string;
  secret: string;
  active: boolean;
}

const WEBHOOK_COLUMNS = 'id, url, events, workstation_id, active, created_by, created_at, deleted_at';

/** The SQL of webhooks and their deliveries (the outbox rows are written by webhook-outbox.ts). */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async workstationExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM workstations WHERE id = $1`, [id]);
    return rows.length === 1;
  }

  async insert(w: { url: string; events: WebhookEventType[]; secret: string; workstationId: string | null; createdBy: string; now: Date }): Promise<WebhookRow> {
    const [row]: WebhookRow[] = await this.dataSource.query(
      `INSERT INTO webhooks (url, events, secret, workstation_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${WEBHOOK_COLUMNS}`,
      [w.url, w.events, w.secret, w.workstationId, w.createdBy, w.now],
    );
    return row;
  }

  async list(offset: number, limit: number): Promise<{ rows: WebhookRow[]; total: number }> {
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<WebhookRow[]>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE active ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`, [limit, offset]),
      this.dataSource.query<Array<{ total: number }>>(`SELECT count(*)::int AS total FROM webhooks WHERE active`),
    ]);
    return { rows, total };
  }

  async findById(id: string): Promise<WebhookRow | undefined> {
    const [row]: Array<WebhookRow | undefined> = await this.dataSource.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1`, [id]);
    return row;
  }

  /** Stops a webhook at once: no new outbox rows, and its undelivered ones are cancelled. */
  async deactivate(id: string, now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      const [, affected]: [unknown, number] = await em.query(`UPDATE webhooks SET active = false, deleted_at = $2 WHERE id = $1 AND active`, [id, now]);
      if (Number(affected) !== 1) return false;
      await em.query(`UPDATE webhook_deliveries SET status = 'cancelled' WHERE webhook_id = $1 AND status IN ('pending', 'enqueued')`, [id]);
      return true;
    });
  }

  async deliveries(webhookId: string, status: DeliveryStatus | undefined, offset: number, limit: number, deliveryId?: string): Promise<{ rows: DeliveryRow[]; total: number }> {
    const params: unknown[] = [webhookId];
    let where = 'd.webhook_id = $1';
    if (status) where += ` AND d.status = $${params.push(status)}`;
    if (deliveryId) where += ` AND d.id = $${params.push(deliveryId)}`;
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<DeliveryRow[]>(
        `SELECT d.id, d.webhook_id, d.event_id, d.event_type, d.case_id, d.body, d.status, d.attempts, d.last_status_code, d.last_error,
                d.created_at, d.enqueued_at, d.delivered_at, d.dead_at,
                coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'status_code', a.status_code, 'error', a.error, 'duration_ms', a.duration_ms) ORDER BY a.attempt)
                            FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
           FROM webhook_deliveries d WHERE ${where}
          ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, limit, offset],
      ),
      this.dataSource.query<Array<{ total: number }>>(`SELECT count(*)::int AS total FROM webhook_deliveries d WHERE ${where}`, params),
    ]);
    return { rows, total };
  }

  // Worker side.

  async deliveryToSend(id: string): Promise<DeliveryToSend | undefined> {
    const [row]: Array<DeliveryToSend | undefined> = await this.dataSource.query(
      `SELECT d.id, d.status, d.event_type, d.body, w.url, w.secret, w.active FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [id],
    );
    return row;
  }

  async cancel(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE webhook_deliveries SET status = 'cancelled' WHERE id = $1 AND status IN ('pending', 'enqueued')`, [id]);
  }

  /**
   * Logs one attempt and moves the delivery on, in one statement: delivered on a 2xx, dead after
   * the last attempt, otherwise left for the next retry. A delivered row is never moved back.
   */
  async recordAttempt(id: string, a: { at: Date; ok: boolean; last: boolean; statusCode: number | null; error: string | null; durationMs: number }): Promise<void> {
    await this.dataSource.query(
      `WITH d AS (
         UPDATE webhook_deliveries
            SET attempts = attempts + 1, last_status_code = $3, last_error = $4,
                status = CASE WHEN $5::boolean THEN 'delivered' WHEN $6::boolean THEN 'dead' ELSE status END,
                delivered_at = CASE WHEN $5::boolean THEN $2::timestamptz ELSE delivered_at END,
                dead_at = CASE WHEN NOT $5::boolean AND $6::boolean THEN $2::timestamptz ELSE dead_at END
          WHERE id = $1 AND status NOT IN ('delivered', 'cancelled')
          RETURNING id, attempts)
       INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
       SELECT id, attempts, $2, $3, $4, $7 FROM d`,
      [id, a.at, a.statusCode, a.error, a.ok, a.last, a.durationMs],
    );
  }

  /** Pending rows, oldest first; `attempts` > 0 marks a dead letter sent again (its old job must go first). */
  async pendingBatch(limit: number): Promise<PendingDelivery[]> {
    return this.dataSource.query<PendingDelivery[]>(`SELECT id, attempts FROM webhook_deliveries WHERE status = 'pending' ORDER BY created_at, id LIMIT $1`, [limit]);
  }

  /** A dead letter goes back to the outbox (a new round of attempts); false when the delivery is not dead. */
  async redeliver(webhookId: string, deliveryId: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE webhook_deliveries d SET status = 'pending', dead_at = NULL
         FROM webhooks w
        WHERE d.id = $2 AND d.webhook_id = $1 AND w.id = d.webhook_id AND w.active AND d.status = 'dead'`,
      [webhookId, deliveryId],
    );
    return Number(affected) === 1;
  }

  async findDelivery(webhookId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
    const { rows } = await this.deliveries(webhookId, undefined, 0, 1, deliveryId);
    return rows[0];
  }

  /**
   * As RemindersRepository.markEnqueued: found by primary key, locked in id order, only pending ones
   * moved on, updated by ctid (never through the pending index with the ids as a filter).
   */
  async markEnqueued(ids: string[], now: Date): Promise<void> {
    await this.dataSource.query(
      `WITH locked AS MATERIALIZED (SELECT ctid AS tid, status FROM webhook_deliveries WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE)
       UPDATE webhook_deliveries SET status = 'enqueued', enqueued_at = $2 WHERE ctid = ANY(ARRAY(SELECT tid FROM locked WHERE status = 'pending'))`,
      [ids, now],
    );
  }

  /** `enqueued` rows in id order after `after` (to put them on the queue again). */
  async enqueuedBatch(after: string, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM webhook_deliveries WHERE status = 'enqueued' AND id > $1 ORDER BY id LIMIT $2`, [after, limit]);
    return rows.map((r) => r.id);
  }
}
