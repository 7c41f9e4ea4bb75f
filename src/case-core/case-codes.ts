/**
 * The codes of a case: its states, sources and dispute types, and the groups of states the rules
 * and statistics use. At the bottom of the domain (imports nothing), so that users, labels and the
 * statistics read them without depending on the cases module; the lifecycle (cases/case-lifecycle.ts)
 * says what moves a case from one state to another.
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
