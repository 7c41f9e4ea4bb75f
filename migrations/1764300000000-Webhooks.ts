import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks for court systems (DESIGN.md "API", webhook events):
 * - `webhooks`: a subscription (URL, events, secret) of one workstation, or of all when
 *   `workstation_id` is null. The secret signs the deliveries (HMAC-SHA256), so it is kept as given.
 * - `webhook_deliveries`: the outbox. One row per event and subscription, written in the
 *   transaction of the case change; `body` is the exact JSON sent (and signed) on every attempt.
 *   pending -> enqueued (a BullMQ job whose id is the row's id) -> delivered | dead (after the
 *   last attempt) | cancelled (the webhook was deleted first).
 * - `webhook_delivery_attempts`: the delivery log, one row per HTTP attempt.
 */
export class Webhooks1764300000000 implements MigrationInterface {
  name = 'Webhooks1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url varchar(2000) NOT NULL,
        events varchar(40)[] NOT NULL CHECK (cardinality(events) > 0),
        secret varchar(200) NOT NULL,
        workstation_id uuid REFERENCES workstations(id),
        active boolean NOT NULL DEFAULT true,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`CREATE INDEX webhooks_active_idx ON webhooks (workstation_id) WHERE active`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks(id),
        event_id uuid NOT NULL,
        event_type varchar(40) NOT NULL,
        case_id uuid REFERENCES cases(id),
        body text NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'enqueued', 'delivered', 'dead', 'cancelled')),
        attempts int NOT NULL DEFAULT 0,
        last_status_code int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        enqueued_at timestamptz,
        delivered_at timestamptz,
        dead_at timestamptz,
        UNIQUE (webhook_id, event_id)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (created_at, id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_enqueued_idx ON webhook_deliveries (id) WHERE status = 'enqueued'`);
    await q.query(`CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE webhook_delivery_attempts (
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id),
        attempt int NOT NULL,
        at timestamptz NOT NULL,
        status_code int,
        error text,
        duration_ms int NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
  }
}
