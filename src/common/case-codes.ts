/**
 * The codes of the case domain: a case's states, sources, dispute types and actions, the groups of
 * states the rules and statistics use, and the codes of its parties, sessions, confirmation,
 * consultations and reminders. Below every folder (imports nothing), so that users, the labels
 * and the statistics read them without standing on a domain folder: `users` reads the dispute
 * types, and src/case-core (which reads the signed-in user from auth) would otherwise sit in a
 * circle with it. The lifecycle (case-core/case-lifecycle.ts) gives the states and actions their
 * meaning; src/labels gives every code its Chinese and English name.
 */
export const CASE_STATUSES = [
  'registered',
  'assigned',
  'in_mediation',
  'agreement_reached',
  'confirmation_requested',
  'confirmation_accepted',
  'confirmed',
  'confirmation_rejected',
  'court_concluded',
  'failed',
  'withdrawn',
  'voided',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_SOURCES = ['court_entrusted', 'court_assigned', 'walk_in', 'hotline', 'arbitration_referral'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** Cases that came from the court (委派 before filing, 委托 after filing). */
export const COURT_SOURCES: readonly CaseSource[] = ['court_entrusted', 'court_assigned'];
/** Sources whose agreements may go to 司法确认 (an entrusted case is closed by the court itself). */
export const CONFIRMABLE_SOURCES: readonly CaseSource[] = ['court_assigned', 'walk_in', 'hotline', 'arbitration_referral'];

export const DISPUTE_TYPES = ['wage_arrears', 'dismissal', 'social_insurance', 'work_injury', 'overtime', 'compensation', 'other'] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];

export const OPEN_STATUSES: readonly CaseStatus[] = ['registered', 'assigned', 'in_mediation'];
/** Mediation ended with an agreement (whatever became of it at court). */
export const AGREEMENT_STATUSES: readonly CaseStatus[] = [
  'agreement_reached',
  'confirmation_requested',
  'confirmation_accepted',
  'confirmed',
  'confirmation_rejected',
  'court_concluded',
];
/** Mediation ended with an agreement, a failure or a withdrawal ("concluded" in the statistics). Voided cases are not cases. */
export const CONCLUDED_STATUSES: readonly CaseStatus[] = [...AGREEMENT_STATUSES, 'failed', 'withdrawn'];

export const CASE_ACTIONS = [
  'assign',
  'reassign',
  'schedule_session',
  'update_session',
  'hold_session',
  'add_note',
  'record_agreement',
  'fail',
  'withdraw',
  'extend_deadline',
  'request_confirmation',
  'rule_confirmed',
  'rule_rejected',
  'record_payment',
  'correct',
  'void',
  'waive_confirmation',
  'accept_confirmation',
  'decline_confirmation',
  'extend_ruling',
  'record_court_outcome',
  'renegotiate',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export type PartyKind = 'worker' | 'employer';
export type HandOff = 'returned_to_court' | 'arbitration' | 'none';
export type CourtOutcome = 'mediation_document' | 'suit_withdrawn';

export const SESSION_MODES = ['onsite', 'video', 'phone'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];
export const SESSION_STATUSES = ['scheduled', 'held', 'cancelled', 'no_show'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const CONFIRMATION_STATUSES = ['pending', 'accepted', 'confirmed', 'rejected'] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

export const CONSULTATION_CHANNELS = ['window', 'hotline', 'visit'] as const;
export type ConsultationChannel = (typeof CONSULTATION_CHANNELS)[number];
export const CONSULTATION_OUTCOMES = ['advice_only', 'referred_to_arbitration', 'referred_to_legal_aid', 'converted'] as const;
export type ConsultationOutcome = (typeof CONSULTATION_OUTCOMES)[number];

/**
 * The codes of the reminders (`ReminderKind` of src/reminders/reminder-kinds.ts) and of the
 * notifications a change writes at once (`ImmediateNotificationKind`), as the labels name them;
 * src/labels/labels.spec.ts checks that they are the enums' values.
 */
export const REMINDER_KIND_CODES = [
  'mediation_deadline',
  'mediation_overdue',
  'session_24h',
  'session_1h',
  'confirmation_application',
  'acceptance_due',
  'ruling_due',
  'ruling_overdue',
  'installment_due',
  'installment_breach',
] as const;
export const IMMEDIATE_NOTIFICATION_KIND_CODES = ['case_assigned', 'confirmation_requested', 'confirmation_ruled', 'case_returned_to_court'] as const;
export type NotificationKindCode = (typeof REMINDER_KIND_CODES)[number] | (typeof IMMEDIATE_NOTIFICATION_KIND_CODES)[number];
