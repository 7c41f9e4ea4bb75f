import { randomUUID } from 'node:crypto';
import { COURT_SOURCES, webhookEventFor } from './webhook-events';
import type { TransactionQuery } from '../common/pg-reads';
import { preparedStatement } from '../common/prepared-statements';

export interface TimelineEventRow {
  caseId: string;
  type: string;
  actorId: string | null;
  at: Date;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** COURT_SOURCES as node-postgres sends a JS array (`{"court_entrusted","court_assigned"}`), written once. */
const COURT_SOURCES_LITERAL = `{${COURT_SOURCES.map((s) => JSON.stringify(s)).join(',')}}`;

const INSERT_EVENT = `INSERT INTO case_events (case_id, type, actor_id, at, before, after) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`;

/**
 * The timeline event and its webhook outbox rows in one statement (one round trip, the caller's
 * transaction): one `webhook_deliveries` row per active subscription to the event, of the case's
 * workstation or of all. The body is built here once and sent as is on every attempt:
 * `{id, type, occurredAt, data}`, `data` being the case's identity and state, the timeline
 * event's `after` values, and for `case.failed` the `handOff` (the court's cases go back to the
 * court unless the failure said otherwise). A named statement on a raw pg transaction (intake):
 * planning it cost PostgreSQL several times the plain event insert at every run (issue 17).
 */
const INSERT_EVENT_AND_OUTBOX = preparedStatement(
  'timeline_event_and_outbox',
  `
  WITH event AS (${INSERT_EVENT}),
  outbox AS (
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, case_id, body, created_at)
    SELECT w.id, $7::uuid, $8::varchar, c.id,
           json_build_object(
             'id', $7::text,
             'type', $8::text,
             'occurredAt', $9::text,
             'data', jsonb_build_object(
                       'caseId', c.id,
                       'caseNumber', c.case_number,
                       'workstationId', c.workstation_id,
                       'source', c.source,
                       'courtCaseNumber', c.court_case_number,
                       'status', c.status,
                       'mediatorId', c.mediator_id,
                       'timelineEvent', $2::text,
                       'actorId', $3::uuid
                     )
                     || CASE WHEN $8::text = 'case.failed' AND NOT coalesce($6::jsonb ? 'handOff', false)
                             THEN jsonb_build_object('handOff', CASE WHEN c.source = ANY($10::varchar[]) THEN 'returned_to_court' ELSE 'none' END)
                             ELSE '{}'::jsonb END
                     || coalesce($6::jsonb, '{}'::jsonb)
           )::text,
           $4::timestamptz
      FROM webhooks w JOIN cases c ON c.id = $1::uuid
     WHERE w.active AND $8::varchar = ANY(w.events) AND (w.workstation_id IS NULL OR w.workstation_id = c.workstation_id)
  )
  SELECT id FROM event`,
);

/**
 * Appends a timeline event and, when its type is published as a webhook event
 * (WEBHOOK_EVENT_BY_TIMELINE_EVENT), the webhook outbox rows, in the caller's transaction.
 * Returns the timeline event's id.
 */
export async function insertTimelineEventWithOutbox(em: TransactionQuery, e: TimelineEventRow): Promise<string> {
  const params: unknown[] = [e.caseId, e.type, e.actorId, e.at, e.before === null ? null : JSON.stringify(e.before), e.after === null ? null : JSON.stringify(e.after)];
  const webhookType = webhookEventFor(e.type);
  const rows: Array<{ id: string | number }> = webhookType
    ? await em.query(INSERT_EVENT_AND_OUTBOX, [...params, randomUUID(), webhookType, e.at.toISOString(), COURT_SOURCES_LITERAL])
    : await em.query(INSERT_EVENT, params);
  return String(rows[0].id);
}
