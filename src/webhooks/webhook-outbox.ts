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

/** Where the outbox rows' parameters and the case's row come from (outboxRowsInsert). */
interface OutboxSql {
  /** The FROM clause: the active webhooks `w` and the case `c` (its id, case_number, workstation_id, source, court_case_number, status, mediator_id). */
  from: string;
  /** SQL of the timeline event's type, actor id, time, and `after` (jsonb or NULL). */
  type: string;
  actorId: string;
  at: string;
  after: string;
  /** Parameters of the webhook event's id (uuid), type, time as text, and COURT_SOURCES_LITERAL. */
  eventId: string;
  eventType: string;
  occurredAt: string;
  courtSources: string;
}

/**
 * The webhook outbox rows of a timeline event: one `webhook_deliveries` row per active
 * subscription to the event, of the case's workstation or of all. The body is built here once and
 * sent as is on every attempt: `{id, type, occurredAt, data}`, `data` being the case's identity and
 * state, the timeline event's `after` values, and for `case.failed` the `handOff` (the court's
 * cases go back to the court unless the failure said otherwise). The one definition of both
 * INSERT_EVENT_AND_OUTBOX and intake's one statement (timelineEventWithOutboxCtes).
 */
const outboxRowsInsert = (o: OutboxSql) => `
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, case_id, body, created_at)
    SELECT w.id, ${o.eventId}::uuid, ${o.eventType}::varchar, c.id,
           json_build_object(
             'id', ${o.eventId}::text,
             'type', ${o.eventType}::text,
             'occurredAt', ${o.occurredAt}::text,
             'data', jsonb_build_object(
                       'caseId', c.id,
                       'caseNumber', c.case_number,
                       'workstationId', c.workstation_id,
                       'source', c.source,
                       'courtCaseNumber', c.court_case_number,
                       'status', c.status,
                       'mediatorId', c.mediator_id,
                       'timelineEvent', ${o.type}::text,
                       'actorId', ${o.actorId}::uuid
                     )
                     || CASE WHEN ${o.eventType}::text = 'case.failed' AND NOT coalesce(${o.after} ? 'handOff', false)
                             THEN jsonb_build_object('handOff', CASE WHEN c.source = ANY(${o.courtSources}::varchar[]) THEN 'returned_to_court' ELSE 'none' END)
                             ELSE '{}'::jsonb END
                     || coalesce(${o.after}, '{}'::jsonb)
           )::text,
           ${o.at}::timestamptz
      FROM ${o.from}
     WHERE w.active AND ${o.eventType}::varchar = ANY(w.events) AND (w.workstation_id IS NULL OR w.workstation_id = c.workstation_id)`;

/**
 * The timeline event and its webhook outbox rows (outboxRowsInsert) in one statement (one round
 * trip, the caller's transaction). A named statement on a raw pg transaction: planning it cost
 * PostgreSQL several times the plain event insert at every run (issue 17).
 */
const INSERT_EVENT_AND_OUTBOX = preparedStatement(
  'timeline_event_and_outbox',
  `
  WITH event AS (${INSERT_EVENT}),
  outbox AS (${outboxRowsInsert({
    from: 'webhooks w JOIN cases c ON c.id = $1::uuid',
    type: '$2',
    actorId: '$3',
    at: '$4',
    after: '$6::jsonb',
    eventId: '$7',
    eventType: '$8',
    occurredAt: '$9',
    courtSources: '$10',
  })}
  )
  SELECT id FROM event`,
);

/**
 * The CTEs `event` and `outbox` of a timeline event of a case inserted by an earlier CTE of the
 * same statement (intake's one statement, src/cases/intake-statement.ts): what
 * insertTimelineEventWithOutbox writes, but the case's row is read from `caseCte` (the rows a
 * CTE inserts are not in the table for the rest of its statement) and the event's `after` is
 * `{caseNumber: <the case's number>}` with the parameter's keys over it. Parameters from `$first`
 * on, in the order of timelineEventParams.
 */
export function timelineEventWithOutboxCtes(caseCte: string, first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `event AS (
    INSERT INTO case_events (case_id, type, actor_id, at, before, after)
    SELECT c.id, ${p(0)}::varchar, ${p(1)}::uuid, ${p(2)}::timestamptz, ${p(3)}::jsonb, jsonb_build_object('caseNumber', c.case_number) || ${p(4)}::jsonb
      FROM ${caseCte} c
    RETURNING after),
  outbox AS (${outboxRowsInsert({
    from: `webhooks w CROSS JOIN ${caseCte} c CROSS JOIN event`,
    type: `${p(0)}`,
    actorId: `${p(1)}`,
    at: `${p(2)}`,
    after: 'event.after',
    eventId: `${p(5)}`,
    eventType: `${p(6)}`,
    occurredAt: `${p(7)}`,
    courtSources: `${p(8)}`,
  })}
  )`;
}

/**
 * The parameters of timelineEventWithOutboxCtes: `after` without the case number (the statement
 * adds it), and a webhook event whether or not the type is published (a type that is not
 * matches no subscription's events: no outbox row).
 */
export function timelineEventParams(e: Omit<TimelineEventRow, 'caseId'>): unknown[] {
  return [
    e.type,
    e.actorId,
    e.at,
    e.before === null ? null : JSON.stringify(e.before),
    e.after === null ? '{}' : JSON.stringify(e.after),
    randomUUID(),
    webhookEventFor(e.type) ?? null,
    e.at.toISOString(),
    COURT_SOURCES_LITERAL,
  ];
}

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
