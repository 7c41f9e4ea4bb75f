import { markIdempotentChange } from '../idempotency/idempotency-context';
import { insertTimelineEventWithOutbox } from '../webhooks/webhook-outbox';
import type { TransactionQuery } from '../common/pg-reads';

/**
 * Appends one timeline event in the caller's transaction; the table is append-only (a trigger
 * forbids UPDATE and DELETE). A plain function so that the reminder worker, which must not
 * depend on the cases module, writes events exactly as the case services do.
 *
 * Every change to a case passes here, in its transaction, so two things that must commit with
 * the change are written here too: the webhook outbox rows of the event (see
 * src/webhooks/webhook-events.ts for which timeline events are published), and the mark of a
 * request sent with an Idempotency-Key.
 */
export async function insertCaseEvent(
  em: TransactionQuery,
  caseId: string,
  type: string,
  actorId: string | null,
  at: Date,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<string> {
  await markIdempotentChange(em, caseId);
  return insertTimelineEventWithOutbox(em, { caseId, type, actorId, at, before, after });
}
