import { Role } from '../auth/role.enum';
import { allowedActions, CASE_STATUSES, CaseAction, CaseStatus, LIFECYCLE, planTransition } from './case-lifecycle';

const admin = { id: 'admin', role: Role.Admin };
const staff = { id: 'staff', role: Role.UnionStaff };
const mediator = { id: 'med', role: Role.Mediator };
const clerk = { id: 'clerk', role: Role.CourtClerk };

/** DESIGN.md's lifecycle diagram, written out independently of LIFECYCLE. */
const DIAGRAM: Array<[CaseStatus, CaseAction, CaseStatus]> = [
  ['registered', 'assign', 'assigned'],
  ['assigned', 'hold_session', 'in_mediation'],
  ['in_mediation', 'hold_session', 'in_mediation'],
  ['assigned', 'record_agreement', 'agreement_reached'],
  ['in_mediation', 'record_agreement', 'agreement_reached'],
  ['agreement_reached', 'request_confirmation', 'confirmation_requested'],
  ['confirmation_requested', 'rule_confirmed', 'confirmed'],
  ['confirmation_requested', 'rule_rejected', 'confirmation_rejected'],
  ['registered', 'fail', 'failed'],
  ['assigned', 'fail', 'failed'],
  ['in_mediation', 'fail', 'failed'],
  ['registered', 'withdraw', 'withdrawn'],
  ['assigned', 'withdraw', 'withdrawn'],
  ['in_mediation', 'withdraw', 'withdrawn'],
  ['assigned', 'reassign', 'assigned'],
  ['in_mediation', 'reassign', 'in_mediation'],
];
const TRANSITIONS = [...new Set(DIAGRAM.map(([, a]) => a))];

/** Actions that record something without changing the state, and where they are allowed. */
const IN_PLACE: Array<[CaseAction, CaseStatus[]]> = [
  ['schedule_session', ['assigned', 'in_mediation']],
  ['update_session', ['assigned', 'in_mediation']],
  ['extend_deadline', ['registered', 'assigned', 'in_mediation']],
  ['record_payment', ['agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected']],
  ['add_note', [...CASE_STATUSES]],
];

describe('case lifecycle', () => {
  it.each(DIAGRAM)('allows %s --%s--> %s', (from, action, to) => {
    expect(planTransition(action, from, admin, 'med')).toEqual({ ok: true, to });
  });

  it('forbids every other state-changing transition with invalid_state and the current state', () => {
    let forbidden = 0;
    for (const action of TRANSITIONS) {
      for (const from of CASE_STATUSES) {
        if (DIAGRAM.some(([f, a]) => f === from && a === action)) continue;
        expect(planTransition(action, from, admin, 'med')).toEqual({ ok: false, reason: 'invalid_state', from });
        forbidden++;
      }
    }
    expect(forbidden).toBe(TRANSITIONS.length * CASE_STATUSES.length - DIAGRAM.length);
  });

  it.each(IN_PLACE)('allows %s in place exactly in %j', (action, states) => {
    for (const from of CASE_STATUSES) {
      const result = planTransition(action, from, admin, 'med');
      if (states.includes(from)) expect(result).toEqual({ ok: true, to: from });
      else expect(result).toEqual({ ok: false, reason: 'invalid_state', from });
    }
  });

  it('covers every action of the table in these tests', () => {
    const tested = new Set<CaseAction>([...TRANSITIONS, ...IN_PLACE.map(([a]) => a)]);
    expect([...tested].sort()).toEqual(Object.keys(LIFECYCLE).sort());
  });

  it('keeps terminal states terminal', () => {
    for (const s of ['confirmed', 'confirmation_rejected', 'failed', 'withdrawn'] as CaseStatus[]) {
      expect(allowedActions(s).filter((a) => LIFECYCLE[a].to && LIFECYCLE[a].to !== s)).toEqual([]);
    }
  });

  describe('who may act', () => {
    it('lets only union staff and admins assign and reassign', () => {
      expect(planTransition('assign', 'registered', staff, null).ok).toBe(true);
      expect(planTransition('assign', 'registered', mediator, null)).toMatchObject({ ok: false, reason: 'role_not_allowed' });
      expect(planTransition('assign', 'registered', clerk, null)).toMatchObject({ ok: false, reason: 'role_not_allowed' });
      expect(planTransition('reassign', 'in_mediation', mediator, 'med')).toMatchObject({ ok: false, reason: 'role_not_allowed' });
    });

    it('lets only the assigned mediator (or an admin) work the case', () => {
      expect(planTransition('record_agreement', 'in_mediation', mediator, 'med').ok).toBe(true);
      expect(planTransition('record_agreement', 'in_mediation', mediator, 'other')).toMatchObject({ ok: false, reason: 'not_assigned_mediator' });
      expect(planTransition('record_agreement', 'in_mediation', staff, 'med')).toMatchObject({ ok: false, reason: 'role_not_allowed' });
      expect(planTransition('request_confirmation', 'agreement_reached', clerk, 'med')).toMatchObject({ ok: false, reason: 'role_not_allowed' });
      expect(planTransition('schedule_session', 'assigned', mediator, 'other')).toMatchObject({ ok: false, reason: 'not_assigned_mediator' });
      expect(planTransition('schedule_session', 'assigned', clerk, 'med')).toMatchObject({ ok: false, reason: 'role_not_allowed' });
    });

    it('lets only court clerks (and admins) rule', () => {
      expect(planTransition('rule_confirmed', 'confirmation_requested', clerk, 'med').ok).toBe(true);
      expect(planTransition('rule_rejected', 'confirmation_requested', mediator, 'med')).toMatchObject({ ok: false, reason: 'role_not_allowed' });
      expect(planTransition('rule_confirmed', 'confirmation_requested', staff, 'med')).toMatchObject({ ok: false, reason: 'role_not_allowed' });
    });

    it('lets union staff close an unassigned case (failure, withdrawal) but not a mediator who is not on it', () => {
      expect(planTransition('withdraw', 'registered', staff, null).ok).toBe(true);
      expect(planTransition('fail', 'registered', mediator, null)).toMatchObject({ ok: false, reason: 'not_assigned_mediator' });
    });

    it('checks the role before the state, so a forbidden role learns nothing about the state', () => {
      expect(planTransition('rule_confirmed', 'registered', mediator, 'med')).toMatchObject({ reason: 'role_not_allowed' });
    });
  });
});
