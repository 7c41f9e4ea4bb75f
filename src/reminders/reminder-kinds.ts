/** What a reminder is about; also the `kind` of the notifications it delivers. */
export enum ReminderKind {
  /** To the mediator, 09:00 three days before the last day of the mediation period. */
  MediationDeadline = 'mediation_deadline',
  /** At expiry of the mediation period: the open case is flagged overdue, union staff told. */
  MediationOverdue = 'mediation_overdue',
  SessionDayBefore = 'session_24h',
  SessionHourBefore = 'session_1h',
  /** To the mediator on day 20 and day 27 after the agreement took effect, if nobody applied yet. */
  ConfirmationApplication = 'confirmation_application',
  /** To the workstation's clerks on day 2 after the request, if it is not yet accepted or declined (3-day acceptance period). */
  AcceptanceDue = 'acceptance_due',
  /** To the workstation's clerks on day 10 after acceptance. */
  RulingDue = 'ruling_due',
  /** The ruling period (15 days from acceptance, 25 extended) ran out: clerks and union staff told. */
  RulingOverdue = 'ruling_overdue',
  /** To the mediator, 09:00 three days before an installment's due date. */
  InstallmentDue = 'installment_due',
  /** 09:00 the day after an unpaid due date: the agreement is flagged in breach, the mediator told. */
  InstallmentBreach = 'installment_breach',
}

/** Notifications written at once by a change (not through the outbox). */
export enum ImmediateNotificationKind {
  CaseAssigned = 'case_assigned',
  ConfirmationRequested = 'confirmation_requested',
  ConfirmationRuled = 'confirmation_ruled',
  /** A failed court case goes back to the court: the workstation's clerks are told at once. */
  CaseReturnedToCourt = 'case_returned_to_court',
}
