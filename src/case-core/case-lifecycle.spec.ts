import { Role } from '../accounts-core/role.enum';
import { allowedActionsFor, CASE_ACTIONS, CASE_SOURCES, CASE_STATUSES, CaseAction, CaseSource, CaseStatus, LIFECYCLE, planTransition } from './case-lifecycle';

const admin = { id: 'admin', role: Role.Admin };
const staff = { id: 'staff', role: Role.UnionStaff };
const mediator = { id: 'med', role: Role.Mediator };
const clerk = { id: 'clerk', role: Role.CourtClerk };

/** DESIGN.md's lifecycle diagram, written out independently of LIFECYCLE: [from, action, to]. */
const DIAGRAM: Array<[CaseStatus, CaseAction, CaseStatus]> = [
  ['registered', 'assign', 'assigned'],
  ['assigned', 'hold_session', 'in_mediation'],
  ['in_mediation', 'hold_session', 'in_mediation'],
  ['assigned', 'record_agreement', 'agreement_reached'],
  ['in_mediation', 'record_agreement', 'agreement_reached'],
  ['registered', 'fail', 'failed'],
  ['assigned', 'fail', 'failed'],
  ['in_mediation', 'fail', 'failed'],
  ['confirmation_rejected', 'fail', 'failed'],
  ['registered', 'withdraw', 'withdrawn'],
  ['assigned', 'withdraw', 'withdrawn'],
  ['in_mediation', 'withdraw', 'withdrawn'],
  ['registered', 'void', 'voided'],
  ['assigned', 'void', 'voided'],
  ['in_mediation', 'void', 'voided'],
  ['assigned', 'reassign', 'assigned'],
  ['in_mediation', 'reassign', 'in_mediation'],
  ['agreement_reached', 'record_court_outcome', 'court_concluded'],
  ['agreement_reached', 'request_confirmation', 'confirmation_requested'],
  ['agreement_reached', 'waive_confirmation', 'agreement_reached'],
  ['confirmation_requested', 'accept_confirmation', 'confirmation_accepted'],
  ['confirmation_requested', 'decline_confirmation', 'confirmation_rejected'],
  ['confirmation_accepted', 'rule_confirmed', 'confirmed'],
  ['confirmation_accepted', 'rule_rejected', 'confirmation_rejected'],
  ['confirmation_rejected', 'renegotiate', 'in_mediation'],
];
const TRANSITIONS = [...new Set(DIAGRAM.map(([, a]) => a))];

const ALL_BUT_VOIDED: CaseStatus[] = CASE_STATUSES.filter((s) => s !== 'voided');
/** Actions that record something without changing the state, and where they are allowed. */
const IN_PLACE: Array<[CaseAction, CaseStatus[]]> = [
  ['schedule_session', ['assigned', 'in_mediation']],
  ['update_session', ['assigned', 'in_mediation']],
  ['extend_deadline', ['registered', 'assigned', 'in_mediation']],
  ['extend_ruling', ['confirmation_accepted']],
  ['record_payment', ['agreement_reached', 'confirmation_requested', 'confirmation_accepted', 'confirmed', 'confirmation_rejected', 'court_concluded']],
  ['add_note', ALL_BUT_VOIDED],
  ['correct', ALL_BUT_VOIDED],
];

/** Which sources each source-bound action takes (the others: wrong_source). */
const BY_SOURCE: Array<[CaseAction, CaseSource[]]> = [
  ['record_court_outcome', ['court_entrusted']],
  ['request_confirmation', ['court_assigned', 'walk_in', 'hotline', 'arbitration_referral']],
  ['waive_confirmation', ['court_assigned', 'walk_in', 'hotline', 'arbitration_referral']],
];

/** Who may take each action (admins always). */
const WHO: Record<CaseAction, Role[]> = {
  assign: [Role.Admin, Role.UnionStaff],
  reassign: [Role.Admin, Role.UnionStaff],
  schedule_session: [Role.Admin, Role.UnionStaff, Role.Mediator],
  update_session: [Role.Admin, Role.UnionStaff, Role.Mediator],
  hold_session: [Role.Admin, Role.UnionStaff, Role.Mediator],
  add_note: [Role.Admin, Role.UnionStaff, Role.Mediator],
  record_agreement: [Role.Admin, Role.Mediator],
  fail: [Role.Admin, Role.UnionStaff, Role.Mediator],
  withdraw: [Role.Admin, Role.UnionStaff, Role.Mediator],
  void: [Role.Admin, Role.UnionStaff],
  correct: [Role.Admin, Role.UnionStaff],
  extend_deadline: [Role.Admin, Role.UnionStaff, Role.Mediator],
  request_confirmation: [Role.Admin, Role.Mediator],
  waive_confirmation: [Role.Admin, Role.Mediator],
  accept_confirmation: [Role.Admin, Role.CourtClerk],
  decline_confirmation: [Role.Admin, Role.CourtClerk],
  extend_ruling: [Role.Admin, Role.CourtClerk],
  rule_confirmed: [Role.Admin, Role.CourtClerk],
  rule_rejected: [Role.Admin, Role.CourtClerk],
  renegotiate: [Role.Admin, Role.UnionStaff, Role.Mediator],
  record_court_outcome: [Role.Admin, Role.CourtClerk],
  record_payment: [Role.Admin, Role.Mediator],
};

describe('case lifecycle', () => {
  it.each(DIAGRAM)('allows %s --%s--> %s', (from, action, to) => {
    expect(planTransition(action, from, admin, 'med')).toEqual({ ok: true, to });
  });

  it('forbids every other (action, state) pair of the diagram with invalid_state and the current state', () => {
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
    expect([...tested].sort()).toEqual([...CASE_ACTIONS].sort());
    expect(Object.keys(LIFECYCLE).sort()).toEqual([...CASE_ACTIONS].sort());
  });

  it('keeps confirmed, court_concluded, failed, withdrawn and voided terminal; a rejection is not a dead end', () => {
    for (const s of ['confirmed', 'court_concluded', 'failed', 'withdrawn', 'voided'] as CaseStatus[]) {
      const leaving = CASE_ACTIONS.filter((a) => planTransition(a, s, admin, 'med').ok && LIFECYCLE[a].to && LIFECYCLE[a].to !== s);
      expect(leaving).toEqual([]);
    }
    expect(allowedActionsFor({ status: 'voided', source: 'walk_in', mediatorId: 'med' }, admin)).toEqual([]);
    expect(allowedActionsFor({ status: 'confirmation_rejected', source: 'walk_in', mediatorId: 'med' }, mediator).sort()).toEqual(['add_note', 'fail', 'record_payment', 'renegotiate']);
  });

  it.each(BY_SOURCE)('lets %s apply to the sources %j only (others: wrong_source)', (action, sources) => {
    for (const source of CASE_SOURCES) {
      const result = planTransition(action, 'agreement_reached', admin, 'med', source);
      if (sources.includes(source)) expect(result.ok).toBe(true);
      else expect(result).toEqual({ ok: false, reason: 'wrong_source', from: 'agreement_reached' });
    }
  });

  it.each(Object.entries(WHO) as Array<[CaseAction, Role[]]>)('lets exactly the roles of %s act: %j', (action, roles) => {
    const from = LIFECYCLE[action].from[0];
    for (const actor of [admin, staff, mediator, clerk]) {
      const result = planTransition(action, from, actor, 'med');
      if (roles.includes(actor.role)) expect(result.ok).toBe(true);
      else expect(result).toMatchObject({ ok: false, reason: 'role_not_allowed' });
    }
  });

  describe('who may act', () => {
    it('lets only the assigned mediator (or an admin) work the case', () => {
      expect(planTransition('record_agreement', 'in_mediation', mediator, 'med').ok).toBe(true);
      expect(planTransition('record_agreement', 'in_mediation', mediator, 'other')).toMatchObject({ ok: false, reason: 'not_assigned_mediator' });
      expect(planTransition('schedule_session', 'assigned', mediator, 'other')).toMatchObject({ ok: false, reason: 'not_assigned_mediator' });
      expect(planTransition('renegotiate', 'confirmation_rejected', mediator, 'other')).toMatchObject({ ok: false, reason: 'not_assigned_mediator' });
    });

    it('lets union staff close an unassigned case (failure, withdrawal, void) but not a mediator who is not on it', () => {
      expect(planTransition('withdraw', 'registered', staff, null).ok).toBe(true);
      expect(planTransition('void', 'registered', staff, null).ok).toBe(true);
      expect(planTransition('fail', 'registered', mediator, null)).toMatchObject({ ok: false, reason: 'not_assigned_mediator' });
    });

    it('lets union staff correct an open case, but a concluded one only an admin', () => {
      expect(planTransition('correct', 'in_mediation', staff, null).ok).toBe(true);
      for (const s of ['agreement_reached', 'confirmed', 'court_concluded', 'failed', 'withdrawn'] as CaseStatus[]) {
        expect(planTransition('correct', s, staff, null)).toMatchObject({ ok: false, reason: 'role_not_allowed' });
        expect(planTransition('correct', s, admin, null).ok).toBe(true);
      }
    });

    it('checks the role before the state, so a forbidden role learns nothing about the state', () => {
      expect(planTransition('rule_confirmed', 'registered', mediator, 'med')).toMatchObject({ reason: 'role_not_allowed' });
    });
  });

  describe('allowedActionsFor (the buttons of the case page)', () => {
    const entrusted = { status: 'agreement_reached' as CaseStatus, source: 'court_entrusted' as CaseSource, mediatorId: 'med' };
    const walkIn = { ...entrusted, source: 'walk_in' as CaseSource };

    it('offers the court outcome on an entrusted agreement to the clerk, and confirmation to the mediator of any other', () => {
      expect(allowedActionsFor(entrusted, clerk)).toEqual(['record_court_outcome']);
      expect(allowedActionsFor(entrusted, mediator).sort()).toEqual(['add_note', 'record_payment']);
      expect(allowedActionsFor(walkIn, mediator).sort()).toEqual(['add_note', 'record_payment', 'request_confirmation', 'waive_confirmation']);
      expect(allowedActionsFor(walkIn, clerk)).toEqual([]);
    });

    it('shows a mediator nothing on a case that is not theirs', () => {
      expect(allowedActionsFor({ status: 'in_mediation', source: 'walk_in', mediatorId: 'other' }, mediator)).toEqual([]);
    });

    it('shows union staff the intake-side actions of a registered case', () => {
      expect(allowedActionsFor({ status: 'registered', source: 'walk_in', mediatorId: null }, staff).sort()).toEqual(['add_note', 'assign', 'correct', 'extend_deadline', 'fail', 'void', 'withdraw']);
    });

    it('shows the clerk acceptance on a request and ruling once accepted', () => {
      expect(allowedActionsFor({ status: 'confirmation_requested', source: 'walk_in', mediatorId: 'med' }, clerk).sort()).toEqual(['accept_confirmation', 'decline_confirmation']);
      expect(allowedActionsFor({ status: 'confirmation_accepted', source: 'walk_in', mediatorId: 'med' }, clerk).sort()).toEqual(['extend_ruling', 'rule_confirmed', 'rule_rejected']);
    });
  });
});
