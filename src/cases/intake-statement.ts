import { DataSource } from 'typeorm';
import { Case } from '../case-core/case.entity';
import { numberedCaseInsert } from '../case-core/case-select';
import { preparedStatement } from '../common/prepared-statements';
import { appliedCaseCte } from '../idempotency/idempotency.repository';
import { ReminderPlan } from '../reminders/reminder-plans';
import { planParams, plansInsert } from '../reminders/reminders.repository';
import { TimelineEventRow, timelineEventParams, timelineEventWithOutboxCtes } from '../webhooks/webhook-outbox';

/** What intake writes besides the case row: its timeline event, its reminders, and the idempotency key's mark. */
export interface IntakeWrites {
  year: number;
  /** The `case_registered` event; its `after` without the case number, which the statement adds (`{caseNumber, ...after}`). */
  event: Omit<TimelineEventRow, 'caseId' | 'before'> & { before: null };
  plans: ReminderPlan[];
  /** The request's user and Idempotency-Key to mark as having made this case (idempotentChangeToMark), or nulls. */
  idempotency: [string, string] | [null, null];
}

/**
 * Intake in one statement (issue 17): the case numbered from its workstation's counter and inserted
 * (numberedCaseInsert), its timeline event with the webhook outbox rows (timelineEventWithOutboxCtes),
 * its reminders (plansInsert) and, under an Idempotency-Key, the key's mark (appliedCaseCte), as
 * CTEs of one INSERT. The same rows as those statements one after the other in a transaction, in
 * one round trip instead of five (BEGIN, three statements, COMMIT): a statement is atomic on its
 * own, and the counter row it locks stays locked until it commits, so numbers stay gap-free.
 * Nothing is written when the workstation does not exist (the counter's and the case's CTEs
 * insert nothing, and the rest hangs off the case's). Returns the case number, or null then.
 * Run alone (autocommit), or inside a caller's transaction. A named statement on a raw
 * connection: PostgreSQL parses and plans it once per connection.
 */
export const intakeStatement = (() => {
  const built = new WeakMap<DataSource, { sql: string; params: (entity: Case, w: IntakeWrites) => unknown[] }>();
  return (dataSource: DataSource) => {
    let value = built.get(dataSource);
    if (value === undefined) built.set(dataSource, (value = build(dataSource)));
    return value;
  };
})();

function build(dataSource: DataSource) {
  const numbered = numberedCaseInsert(dataSource);
  const caseParams = numbered.columns.length + 2;
  const eventAt = caseParams + 1;
  const eventParams = 9;
  const plansAt = eventAt + eventParams;
  const keyAt = plansAt + 5;
  const sql = preparedStatement(
    'intake',
    `WITH ${numbered.ctes},
  ${timelineEventWithOutboxCtes('intake_case', eventAt)},
  reminders_ AS (${plansInsert('c.id', plansAt, 'intake_case c')}),
  ${appliedCaseCte('intake_case', keyAt)}
  SELECT case_number FROM intake_case`,
  );
  const params = (entity: Case, w: IntakeWrites): unknown[] => [
    ...numbered.params(entity, w.year),
    ...timelineEventParams(w.event),
    ...planParams(w.plans),
    ...w.idempotency,
  ];
  return { sql, params };
}
