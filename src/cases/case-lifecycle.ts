/**
 * The case lifecycle as pure functions: states, actions, which action is allowed from which
 * state, and which role may take it. The services call `planTransition` inside the transaction
 * that holds the case row lock; nothing here touches the database or the clock.
 */
import { Role } from '../auth/role.enum';

export const CASE_STATUSES = [
  'registered',
  'assigned',
  'in_mediation',
  'agreement_reached',
  'confirmation_requested',
  'confirmed',
  'confirmation_rejected',
  'failed',
  'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_SOURCES = ['court_entrusted', 'court_assigned', 'walk_in', 'hotline', 'arbitration_referral'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export const DISPUTE_TYPES = ['wage_arrears', 'dismissal', 'social_insurance', 'work_injury', 'overtime', 'compensation', 'other'] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];

export type CaseAction =
  | 'assign'
  | 'reassign'
  | 'schedule_session'
  | 'update_session'
  | 'hold_session'
  | 'add_note'
  | 'record_agreement'
  | 'fail'
  | 'withdraw'
  | 'extend_deadline'
  | 'request_confirmation'
  | 'rule_confirmed'
  | 'rule_rejected'
  | 'record_payment';

/** Mediation is still running: the deadline counts, sessions can be held. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['registered', 'assigned', 'in_mediation'];
/** Mediation ended with an agreement, a failure or a withdrawal ("concluded" in the statistics). */
export const CONCLUDED_STATUSES: readonly CaseStatus[] = ['agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'];
export const AGREEMENT_STATUSES: readonly CaseStatus[] = ['agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected'];

interface Rule {
  from: readonly CaseStatus[];
  /** The state after the action; undefined keeps the current state. */
  to?: CaseStatus;
  roles: readonly Role[];
  /** A mediator may act only on cases assigned to them. */
  assignedMediatorOnly?: boolean;
}

const { Admin, UnionStaff, Mediator, CourtClerk } = Role;
const CASE_WORKERS = [Admin, UnionStaff, Mediator] as const;

export const LIFECYCLE: Record<CaseAction, Rule> = {
  assign: { from: ['registered'], to: 'assigned', roles: [Admin, UnionStaff] },
  reassign: { from: ['assigned', 'in_mediation'], roles: [Admin, UnionStaff] },
  schedule_session: { from: ['assigned', 'in_mediation'], roles: CASE_WORKERS, assignedMediatorOnly: true },
  update_session: { from: ['assigned', 'in_mediation'], roles: CASE_WORKERS, assignedMediatorOnly: true },
  // The first held session moves an assigned case into mediation; later ones keep the state.
  hold_session: { from: ['assigned', 'in_mediation'], to: 'in_mediation', roles: CASE_WORKERS, assignedMediatorOnly: true },
  add_note: { from: CASE_STATUSES, roles: CASE_WORKERS, assignedMediatorOnly: true },
  record_agreement: { from: ['assigned', 'in_mediation'], to: 'agreement_reached', roles: [Admin, Mediator], assignedMediatorOnly: true },
  fail: { from: OPEN_STATUSES, to: 'failed', roles: CASE_WORKERS, assignedMediatorOnly: true },
  withdraw: { from: OPEN_STATUSES, to: 'withdrawn', roles: CASE_WORKERS, assignedMediatorOnly: true },
  extend_deadline: { from: OPEN_STATUSES, roles: CASE_WORKERS, assignedMediatorOnly: true },
  request_confirmation: { from: ['agreement_reached'], to: 'confirmation_requested', roles: [Admin, Mediator], assignedMediatorOnly: true },
  rule_confirmed: { from: ['confirmation_requested'], to: 'confirmed', roles: [Admin, CourtClerk] },
  rule_rejected: { from: ['confirmation_requested'], to: 'confirmation_rejected', roles: [Admin, CourtClerk] },
  record_payment: { from: AGREEMENT_STATUSES, roles: [Admin, Mediator], assignedMediatorOnly: true },
};

export type TransitionCheck =
  | { ok: true; to: CaseStatus }
  | { ok: false; reason: 'role_not_allowed' | 'not_assigned_mediator' | 'invalid_state'; from: CaseStatus };

export interface Actor {
  id: string;
  role: Role;
}

/** Decides whether `actor` may take `action` on a case in `status` assigned to `mediatorId`. */
export function planTransition(action: CaseAction, status: CaseStatus, actor: Actor, mediatorId: string | null): TransitionCheck {
  const rule = LIFECYCLE[action];
  if (!rule.roles.includes(actor.role)) return { ok: false, reason: 'role_not_allowed', from: status };
  if (rule.assignedMediatorOnly && actor.role === Role.Mediator && mediatorId !== actor.id) {
    return { ok: false, reason: 'not_assigned_mediator', from: status };
  }
  if (!rule.from.includes(status)) return { ok: false, reason: 'invalid_state', from: status };
  return { ok: true, to: rule.to ?? status };
}

/** The actions allowed from a state (for the UI and for error messages). */
export function allowedActions(status: CaseStatus): CaseAction[] {
  return (Object.keys(LIFECYCLE) as CaseAction[]).filter((a) => LIFECYCLE[a].from.includes(status));
}

export const isOpen = (s: CaseStatus) => OPEN_STATUSES.includes(s);
export const isConcluded = (s: CaseStatus) => CONCLUDED_STATUSES.includes(s);
