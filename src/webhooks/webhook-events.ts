/**
 * The webhook events of DESIGN.md ("API", webhook events), and the one table that derives them
 * from the case timeline. Every change to a case appends a timeline event in its own transaction
 * (`insertCaseEvent`); when that event's type is in `WEBHOOK_EVENT_BY_TIMELINE_EVENT`, the same
 * statement writes one outbox row per matching subscription (see webhook-outbox.ts). A new kind
 * of change that a court system must hear of (e.g. the court's outcome of an entrusted case) is
 * one more line in the table, nothing else.
 */
export const WEBHOOK_EVENT_TYPES = ['case.registered', 'case.assigned', 'case.failed', 'case.concluded', 'confirmation.requested', 'confirmation.ruled'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Timeline event type (case_events.type) → the webhook event it is published as. */
export const WEBHOOK_EVENT_BY_TIMELINE_EVENT: Readonly<Record<string, WebhookEventType>> = {
  case_registered: 'case.registered',
  mediator_assigned: 'case.assigned',
  mediator_reassigned: 'case.assigned',
  case_failed: 'case.failed',
  // Mediation concluded (DESIGN.md "Statistics": agreement or withdrawal; failure has its own event).
  agreement_recorded: 'case.concluded',
  case_withdrawn: 'case.concluded',
  // The court's outcome of an entrusted case (民事调解书 or 撤诉): the case is court_concluded.
  court_outcome_recorded: 'case.concluded',
  confirmation_requested: 'confirmation.requested',
  confirmation_confirmed: 'confirmation.ruled',
  confirmation_rejected: 'confirmation.ruled',
  // 不予受理: the court's decision ends the request as a ruling would.
  confirmation_not_accepted: 'confirmation.ruled',
};

export function webhookEventFor(timelineEventType: string): WebhookEventType | undefined {
  return Object.prototype.hasOwnProperty.call(WEBHOOK_EVENT_BY_TIMELINE_EVENT, timelineEventType) ? WEBHOOK_EVENT_BY_TIMELINE_EVENT[timelineEventType] : undefined;
}

/** Sources whose failure goes back to the court (DESIGN.md: handOff returned_to_court). */
export const COURT_SOURCES = ['court_entrusted', 'court_assigned'];
