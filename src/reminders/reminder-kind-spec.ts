/**
 * The parts of a reminder kind (reminder-registry.ts holds one entry per kind): what each family is
 * planned from, what delivery looks up for it, and the shape of an entry.
 */
import { CaseStatus, DisputeType } from '../common/case-codes';
import { ReminderKind } from './reminder-kinds';

/** What a reminder is about: the case's mediation period, a session, an agreement's application window, a confirmation, an installment. */
export type ReminderFamily = 'mediation' | 'session' | 'confirmation_application' | 'acceptance' | 'ruling' | 'installment';

/** What a family's reminders are planned from (the change that plans them). */
export interface PlanInputs {
  mediation: { deadlineAt: Date };
  session: { sessionId: string; scheduledAt: Date };
  confirmation_application: { agreementId: string; effectiveAt: Date };
  acceptance: { confirmationId: string; appliedAt: Date; dueAt: Date };
  ruling: { confirmationId: string; acceptedAt: Date; dueAt: Date };
  installment: { agreementId: string; seq: number; dueDate: string };
}

/** The reminder row being delivered. */
export interface ReminderToDeliver {
  id: string;
  kind: ReminderKind;
  caseId: string;
  subjectId: string | null;
  subjectSeq: number | null;
  fireAt: Date;
  dueAt: Date;
}

/** The case as it is at delivery (locked for the delivery's transaction). */
export interface CaseAtDelivery {
  id: string;
  caseNumber: string;
  workstationId: string;
  status: CaseStatus;
  disputeType: DisputeType;
  mediatorId: string | null;
  deadlineAt: Date;
  overdue: boolean;
  confirmationWaived: boolean;
}

export interface SessionFacts {
  status: string;
  scheduledAt: Date;
  mode: string;
  location: string | null;
}

export interface ConfirmationFacts {
  status: string;
  appliedAt: Date;
  acceptedAt: Date | null;
  rulingDueAt: Date | null;
  workstationId: string;
  superseded: boolean;
}

export interface InstallmentFacts {
  agreementId: string;
  seq: number;
  dueDate: string;
  amount: string;
  paidAt: Date | null;
  /** The agreement's flag (shared by its installments: a breach flagged in a batch is seen by the next reminder). */
  agreement: { inBreach: boolean };
}

/**
 * What delivery looks up for a family, besides the case. `workstationId` says whose clerks and
 * union staff are meant (a confirmation's workstation, otherwise the case's).
 */
export interface FamilyFacts {
  mediation: { workstationId: string };
  session: { workstationId: string; session: SessionFacts | undefined };
  confirmation_application: { workstationId: string; requested: boolean; agreementEffectiveAt: Date | undefined };
  acceptance: { workstationId: string; confirmation: ConfirmationFacts | undefined };
  ruling: { workstationId: string; confirmation: ConfirmationFacts | undefined };
  installment: { workstationId: string; installment: InstallmentFacts | undefined };
}

export interface Delivery<F extends ReminderFamily> {
  reminder: ReminderToDeliver;
  case: CaseAtDelivery;
  facts: FamilyFacts[F];
  now: Date;
}

/** Who is told: the case's mediator as of now, or the workstation's clerks or union staff (city level when it has none). */
export type Audience = 'mediator' | 'clerks' | 'union_staff';

/** A change a reminder makes when delivered, besides notifying (ReminderDelivery carries them out). */
export type ReminderEffect = 'flag_overdue' | 'flag_breach';

/** One fire time of a kind; `subjectSeq` when the kind numbers its reminders (the application's day 20 and 27). */
export interface Timing {
  fireAt: Date;
  dueAt: Date;
  subjectSeq?: number;
}

/**
 * One kind. Methods (not function-valued properties) so that every entry, checked against its own
 * family, also fits the table's type.
 */
export interface KindSpec<F extends ReminderFamily> {
  family: F;
  /**
   * `warning`: ahead of a deadline; not written when its time has already passed, not sent once
   * the deadline passed (a worker that was down a day sends no stale "in 1 hour").
   * `check`: changes state when a period ran out; written and run even when late (a case taken in
   * after its period ran out is overdue now).
   */
  timing: 'warning' | 'check';
  plan(input: PlanInputs[F]): Timing[];
  /** Why the reminder is no longer sent (checked at delivery, in the case's lock), or null. */
  skip(d: Delivery<F>): string | null;
  recipients: readonly Audience[];
  message(d: Delivery<F>): string;
  effect: ReminderEffect | null;
}
