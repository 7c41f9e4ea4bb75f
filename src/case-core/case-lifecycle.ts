/**
 * The case lifecycle as pure functions (DESIGN.md "Case lifecycle"): states, actions, which
 * action is allowed from which state, for which sources, and which role may take it. The
 * services call `planTransition` inside the transaction that holds the case row lock, and
 * `GET /cases/:id` answers `allowedActionsFor` the viewer; nothing here touches the database or
 * the clock. The roles of every case action are read from this table only (no second list on
 * the controllers).
 */
import { Role } from '../accounts-core/role.enum';
import { AGREEMENT_STATUSES, CASE_ACTIONS, CASE_STATUSES, CaseAction, CaseSource, CaseStatus, CONCLUDED_STATUSES, CONFIRMABLE_SOURCES, OPEN_STATUSES } from '../common/case-codes';

// The codes of a case live at the very bottom (src/common/case-codes.ts) so that every module may
// read them; they are re-exported here, where the lifecycle gives them their meaning.
export * from '../common/case-codes';

/** Every state but voided (a voided entry takes nothing more). */
const LIVE_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((s) => s !== 'voided');

interface Rule {
  from: readonly CaseStatus[];
  /** The state after the action; undefined keeps the current state. */
  to?: CaseStatus;
  roles: readonly Role[];
  /** A mediator may act only on cases assigned to them. */
  assignedMediatorOnly?: boolean;
  /** Only cases of these sources (others: 409 with the reason). */
  sources?: readonly CaseSource[];
  /** Once the case is concluded, only these roles (corrections of a concluded case: admins only). */
  concludedRoles?: readonly Role[];
}

const { Admin, UnionStaff, Mediator, CourtClerk } = Role;
const CASE_WORKERS = [Admin, UnionStaff, Mediator] as const;
const COURT = [Admin, CourtClerk] as const;

export const LIFECYCLE: Record<CaseAction, Rule> = {
  assign: { from: ['registered'], to: 'assigned', roles: [Admin, UnionStaff] },
  reassign: { from: ['assigned', 'in_mediation'], roles: [Admin, UnionStaff] },
  schedule_session: { from: ['assigned', 'in_mediation'], roles: CASE_WORKERS, assignedMediatorOnly: true },
  update_session: { from: ['assigned', 'in_mediation'], roles: CASE_WORKERS, assignedMediatorOnly: true },
  // The first held session moves an assigned case into mediation; later ones keep the state.
  hold_session: { from: ['assigned', 'in_mediation'], to: 'in_mediation', roles: CASE_WORKERS, assignedMediatorOnly: true },
  add_note: { from: LIVE_STATUSES, roles: CASE_WORKERS, assignedMediatorOnly: true },
  record_agreement: { from: ['assigned', 'in_mediation'], to: 'agreement_reached', roles: [Admin, Mediator], assignedMediatorOnly: true },
  fail: { from: [...OPEN_STATUSES, 'confirmation_rejected'], to: 'failed', roles: CASE_WORKERS, assignedMediatorOnly: true },
  withdraw: { from: OPEN_STATUSES, to: 'withdrawn', roles: CASE_WORKERS, assignedMediatorOnly: true },
  void: { from: OPEN_STATUSES, to: 'voided', roles: [Admin, UnionStaff] },
  correct: { from: LIVE_STATUSES, roles: [Admin, UnionStaff], concludedRoles: [Admin] },
  extend_deadline: { from: OPEN_STATUSES, roles: CASE_WORKERS, assignedMediatorOnly: true },
  request_confirmation: { from: ['agreement_reached'], to: 'confirmation_requested', roles: [Admin, Mediator], assignedMediatorOnly: true, sources: CONFIRMABLE_SOURCES },
  waive_confirmation: { from: ['agreement_reached'], roles: [Admin, Mediator], assignedMediatorOnly: true, sources: CONFIRMABLE_SOURCES },
  accept_confirmation: { from: ['confirmation_requested'], to: 'confirmation_accepted', roles: COURT },
  decline_confirmation: { from: ['confirmation_requested'], to: 'confirmation_rejected', roles: COURT },
  extend_ruling: { from: ['confirmation_accepted'], roles: COURT },
  rule_confirmed: { from: ['confirmation_accepted'], to: 'confirmed', roles: COURT },
  rule_rejected: { from: ['confirmation_accepted'], to: 'confirmation_rejected', roles: COURT },
  renegotiate: { from: ['confirmation_rejected'], to: 'in_mediation', roles: CASE_WORKERS, assignedMediatorOnly: true },
  record_court_outcome: { from: ['agreement_reached'], to: 'court_concluded', roles: COURT, sources: ['court_entrusted'] },
  record_payment: { from: AGREEMENT_STATUSES, roles: [Admin, Mediator], assignedMediatorOnly: true },
};

export type TransitionRefusal = 'role_not_allowed' | 'not_assigned_mediator' | 'invalid_state' | 'wrong_source';

export type TransitionCheck = { ok: true; to: CaseStatus } | { ok: false; reason: TransitionRefusal; from: CaseStatus };

export interface Actor {
  id: string;
  role: Role;
}

/**
 * Decides whether `actor` may take `action` on a case in `status` assigned to `mediatorId`
 * (of `source`, when the action depends on it). The role is checked before the state, so a role
 * that may never act learns nothing about the case's state.
 */
export function planTransition(action: CaseAction, status: CaseStatus, actor: Actor, mediatorId: string | null, source?: CaseSource): TransitionCheck {
  const rule = LIFECYCLE[action];
  if (!rule.roles.includes(actor.role)) return { ok: false, reason: 'role_not_allowed', from: status };
  if (rule.assignedMediatorOnly && actor.role === Role.Mediator && mediatorId !== actor.id) {
    return { ok: false, reason: 'not_assigned_mediator', from: status };
  }
  if (!rule.from.includes(status)) return { ok: false, reason: 'invalid_state', from: status };
  if (rule.concludedRoles && CONCLUDED_STATUSES.includes(status) && !rule.concludedRoles.includes(actor.role)) {
    return { ok: false, reason: 'role_not_allowed', from: status };
  }
  if (rule.sources && source !== undefined && !rule.sources.includes(source)) return { ok: false, reason: 'wrong_source', from: status };
  return { ok: true, to: rule.to ?? status };
}

/** The actions allowed from a state for some role (for error messages). */
export function allowedActions(status: CaseStatus, source?: CaseSource): CaseAction[] {
  return CASE_ACTIONS.filter((a) => LIFECYCLE[a].from.includes(status) && (!source || !LIFECYCLE[a].sources || LIFECYCLE[a].sources!.includes(source)));
}

/** The actions this viewer may take on this case now: what the case page shows as buttons. */
export function allowedActionsFor(c: { status: CaseStatus; source: CaseSource; mediatorId: string | null }, actor: Actor): CaseAction[] {
  return CASE_ACTIONS.filter((a) => planTransition(a, c.status, actor, c.mediatorId, c.source).ok);
}

/** Why a source cannot take an action (the 409's message). */
export const WRONG_SOURCE_MESSAGES: Partial<Record<CaseAction, { en: string; zh: string }>> = {
  request_confirmation: {
    en: 'A court-entrusted case is already filed with the court: it ends with the court\'s mediation document (民事调解书) or a withdrawal (撤诉), not with judicial confirmation. Record the court outcome instead.',
    zh: '委托调解案件已在法院立案，应由法院出具民事调解书或由当事人撤诉结案，不适用司法确认程序；请登记法院结案结果。',
  },
  waive_confirmation: {
    en: 'A court-entrusted case does not go to judicial confirmation, so there is nothing to waive.',
    zh: '委托调解案件不适用司法确认程序，无需放弃申请。',
  },
  record_court_outcome: {
    en: 'Only a court-entrusted case (委托, already filed) is closed by the court\'s outcome; other agreements may go to judicial confirmation.',
    zh: '只有法院委托调解（已立案）的案件由法院出具调解书或准予撤诉结案；其他案件的调解协议可申请司法确认。',
  },
};

export const isOpen = (s: CaseStatus) => OPEN_STATUSES.includes(s);
export const isConcluded = (s: CaseStatus) => CONCLUDED_STATUSES.includes(s);
