import { Role } from '../src/accounts-core/role.enum';
import { PgReads } from '../src/common/pg-reads';
import { RemindersService } from '../src/reminders/reminders.service';
import { createTestApp, TestApp } from './utils/test-app';
import { bearer, makeUser, makeWorkstationTeam } from './utils/factories';
import { caseBody, caseInState, createCase } from './utils/case-factory';

type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;

describe('case lifecycle over HTTP (e2e)', () => {
  let t: TestApp;
  let team: Team;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
  });
  afterAll(() => t.close());

  const api = (path: string) => `/api/v1${path}`;

  // DESIGN.md: an entrusted (委托, filed) case ends with the court's 调解书, not 司法确认, so this path takes a
  // court-assigned (委派) case; and the court accepts (受理) the request before it rules.
  it('takes a case from intake to judicial confirmation, with a full timeline', async () => {
    const { staff, mediator, clerk, ws } = team;
    const received = new Date(Date.now() - 2 * 3600_000);
    const created = await t.http
      .post(api('/cases'))
      .set(bearer(staff))
      .send(caseBody(ws.id, { receivedAt: received.toISOString(), claimAmount: '38000.5', workerCount: 3, courtCaseNumber: '(2026)鄂0102民初88号', source: 'court_assigned' }))
      .expect(201);
    const c = created.body;
    expect(c.caseNumber).toMatch(new RegExp(`^${ws.code}-\\d{4}-\\d{6}$`));
    expect(c).toMatchObject({ status: 'registered', version: 1, claimAmount: '38000.50', workerCount: 3, mediatorId: null, overdue: false });
    // Staff do not see whole identity numbers.
    expect(c.applicant.idNumber).toBe('420***********1234');

    const suggestions = await t.http.get(api(`/cases/${c.id}/mediator-suggestions`)).set(bearer(staff)).expect(200);
    expect(suggestions.body.map((s: { mediatorId: string }) => s.mediatorId).sort()).toEqual([team.mediator.id, team.mediator2.id].sort());

    const assigned = await t.http.post(api(`/cases/${c.id}/assign`)).set(bearer(staff)).send({ mediatorId: mediator.id, expectedVersion: 1 }).expect(200);
    expect(assigned.body).toMatchObject({ status: 'assigned', mediatorId: mediator.id, version: 2 });

    const session = await t.http
      .post(api(`/cases/${c.id}/sessions`))
      .set(bearer(mediator))
      .send({ scheduledAt: new Date(Date.now() + 86400_000).toISOString(), mode: 'onsite', location: '工会三楼调解室' })
      .expect(201);
    expect(session.body).toMatchObject({ status: 'scheduled', mode: 'onsite', caseId: c.id });
    const moved = await t.http.patch(api(`/sessions/${session.body.id}`)).set(bearer(mediator)).send({ scheduledAt: new Date(Date.now() - 3600_000).toISOString() }).expect(200);
    expect(new Date(moved.body.scheduledAt).getTime()).toBeLessThan(Date.now());
    const held = await t.http.patch(api(`/sessions/${session.body.id}`)).set(bearer(mediator)).send({ status: 'held', notes: '双方到场，初步达成意向' }).expect(200);
    expect(held.body).toMatchObject({ status: 'held', notes: '双方到场，初步达成意向' });

    await t.http.post(api(`/cases/${c.id}/notes`)).set(bearer(mediator)).send({ text: '电话联系用人单位', contactedParty: 'respondent' }).expect(201);

    const mine = await t.http.get(api(`/cases/${c.id}`)).set(bearer(mediator)).expect(200);
    expect(mine.body.status).toBe('in_mediation');
    expect(mine.body.applicant.idNumber).toBe('420102199001011234'); // the assigned mediator sees it whole

    const signedAt = new Date(Date.now() - 600_000).toISOString();
    const agreed = await t.http
      .post(api(`/cases/${c.id}/agreement`))
      .set(bearer(mediator))
      .send({
        terms: '被申请人分两期支付工资',
        agreedAmount: '30000.00',
        signedAt,
        installments: [
          { dueDate: '2099-01-15', amount: '10000.00' },
          { dueDate: '2099-02-15', amount: '20000' },
        ],
      })
      .expect(201);
    expect(agreed.body.status).toBe('agreement_reached');
    expect(agreed.body.agreement).toMatchObject({ agreedAmount: '30000.00', inBreach: false });
    expect(agreed.body.agreement.effectiveAt).toBe(signedAt);
    expect(agreed.body.agreement.installments).toEqual([
      { n: 1, dueDate: '2099-01-15', amount: '10000.00', paidAt: null, status: 'due' },
      { n: 2, dueDate: '2099-02-15', amount: '20000.00', paidAt: null, status: 'due' },
    ]);
    expect(agreed.body.concludedAt).toBe(signedAt);

    const paidAt = new Date().toISOString();
    const paid = await t.http.post(api(`/agreements/${agreed.body.agreement.id}/installments/1/payment`)).set(bearer(mediator)).send({ paidAt }).expect(200);
    expect(paid.body.installments[0]).toMatchObject({ n: 1, status: 'paid', paidAt });
    await t.http.post(api(`/agreements/${agreed.body.agreement.id}/installments/1/payment`)).set(bearer(mediator)).send({ paidAt }).expect(200);
    await t.http.post(api(`/agreements/${agreed.body.agreement.id}/installments/1/payment`)).set(bearer(mediator)).send({ paidAt: new Date(Date.now() - 1000).toISOString() }).expect(409);
    await t.http.post(api(`/agreements/${agreed.body.agreement.id}/installments/9/payment`)).set(bearer(mediator)).send({ paidAt }).expect(404);

    const requested = await t.http.post(api(`/cases/${c.id}/confirmation-request`)).set(bearer(mediator)).send({}).expect(201);
    expect(requested.body.status).toBe('confirmation_requested');

    const queue = await t.http.get(api('/confirmations?status=pending')).set(bearer(clerk)).expect(200);
    const pending = queue.body.items.find((i: { caseId: string }) => i.caseId === c.id);
    expect(pending).toMatchObject({ status: 'pending', caseNumber: c.caseNumber });

    await t.http.post(api(`/confirmations/${pending.id}/ruling`)).set(bearer(clerk)).send({ decision: 'confirmed', rulingNumber: '(2026)鄂0102民特12号' }).expect(409);
    const accepted = await t.http.post(api(`/confirmations/${pending.id}/acceptance`)).set(bearer(clerk)).send({ decision: 'accepted', acceptanceNumber: '(2026)鄂0102民特调确12号' }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', acceptanceNumber: '(2026)鄂0102民特调确12号' });

    const ruling = { decision: 'confirmed', rulingNumber: '(2026)鄂0102民特12号' };
    const ruled = await t.http.post(api(`/confirmations/${pending.id}/ruling`)).set(bearer(clerk)).send(ruling).expect(200);
    expect(ruled.body).toMatchObject({ id: pending.id, caseId: c.id, caseNumber: c.caseNumber, status: 'confirmed', rulingNumber: ruling.rulingNumber });
    const again = await t.http.post(api(`/confirmations/${pending.id}/ruling`)).set(bearer(clerk)).send(ruling).expect(200);
    expect(again.body).toEqual(ruled.body);
    const conflicting = await t.http.post(api(`/confirmations/${pending.id}/ruling`)).set(bearer(clerk)).send({ ...ruling, decision: 'rejected', reason: 'x' }).expect(409);
    expect(conflicting.body.details).toMatchObject({ status: 'confirmed' });

    const detail = await t.http.get(api(`/cases/${c.id}`)).set(bearer(clerk)).expect(200);
    expect(detail.body).toMatchObject({ status: 'confirmed', confirmation: { status: 'confirmed', rulingNumber: ruling.rulingNumber, caseNumber: c.caseNumber } });
    expect(detail.body.sessions).toHaveLength(1);
    expect(detail.body.applicant.idNumber).toBe('420102199001011234'); // the workstation's clerk sees it whole

    const events = await t.http.get(api(`/cases/${c.id}/events`)).set(bearer(staff)).expect(200);
    expect(events.body.map((e: { type: string }) => e.type)).toEqual([
      'case_registered',
      'mediator_assigned',
      'session_scheduled',
      'session_rescheduled',
      'session_held',
      'note_added',
      'agreement_recorded',
      'installment_paid',
      'confirmation_requested',
      'confirmation_accepted',
      'confirmation_confirmed',
    ]);
    for (const e of events.body) expect(e).toEqual(expect.objectContaining({ id: expect.any(String), caseId: c.id, actorId: expect.any(String), at: expect.any(String) }));
    expect(events.body[1]).toMatchObject({ actorId: staff.id, before: { mediatorId: null }, after: { mediatorId: mediator.id } });
    expect(events.body[10]).toMatchObject({ actorId: clerk.id, before: { status: 'confirmation_accepted' }, after: { status: 'confirmed' } });
  });

  it('numbers cases per workstation and year, and refuses a workstation that does not exist without writing anything', async () => {
    const admin = await makeUser(t, Role.Admin, null);
    const other = await makeWorkstationTeam(t);
    const first = await createCase(t, other.staff, other.ws.id, { receivedAt: '2025-12-31T15:59:00.000Z' }); // 23:59 in Shanghai
    const second = await createCase(t, other.staff, other.ws.id, { receivedAt: '2025-12-31T16:00:00.000Z' }); // 00:00 on 1 January
    const third = await createCase(t, other.staff, other.ws.id, { receivedAt: '2026-01-02T02:00:00.000Z' });
    expect([first.caseNumber, second.caseNumber, third.caseNumber]).toEqual([`${other.ws.code}-2025-000001`, `${other.ws.code}-2026-000001`, `${other.ws.code}-2026-000002`]);

    const count = async () => (await t.db.query(`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_number_counters)::int AS counters, (SELECT count(*) FROM reminders)::int AS reminders`))[0];
    const before = await count();
    const res = await t.http.post(api('/cases')).set(bearer(admin)).send(caseBody('8f2b7a1e-1a2b-4c3d-9e8f-0123456789ab'));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('workstationId does not exist');
    expect(await count()).toEqual(before);
  });

  it('takes a case in with one statement, which a failing last part undoes whole (the number is not used up)', async () => {
    const other = await makeWorkstationTeam(t);
    const reads = t.app.get(PgReads);
    const statements = jest.spyOn(reads, 'statement');
    const typeormTransactions = jest.spyOn(t.db, 'transaction');
    const reminders = t.app.get(RemindersService);
    const failing = jest.spyOn(reminders, 'openingPlans');
    try {
      const first = await createCase(t, other.staff, other.ws.id);
      expect(statements).toHaveBeenCalledTimes(1);
      expect(typeormTransactions).not.toHaveBeenCalled();
      const written = async (caseId: string) =>
        (
          await t.db.query(
            `SELECT (SELECT count(*) FROM case_events WHERE case_id = $1 AND type = 'case_registered' AND after->>'caseNumber' = $2)::int AS events,
                    (SELECT count(*) FROM reminders WHERE case_id = $1 AND status = 'pending')::int AS reminders`,
            [caseId, first.caseNumber],
          )
        )[0];
      expect(await written(first.id)).toEqual({ events: 1, reminders: 2 });

      // A reminder kind longer than its column: the statement's last CTE fails as it runs, after the case's.
      failing.mockImplementationOnce((c) => reminders.openingPlans(c).map((p) => ({ ...p, kind: 'k'.repeat(49) as typeof p.kind })));
      const count = async () => (await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE workstation_id = $1`, [other.ws.id]))[0].n;
      const before = await count();
      await t.http.post(api('/cases')).set(bearer(other.staff)).send(caseBody(other.ws.id)).expect(400); // 22001, value too long
      expect(await count()).toBe(before);
      const next = await createCase(t, other.staff, other.ws.id);
      expect(next.caseNumber).toBe(first.caseNumber.replace(/000001$/, '000002'));
    } finally {
      statements.mockRestore();
      typeormTransactions.mockRestore();
      failing.mockRestore();
    }
  });

  describe('mediation deadlines', () => {
    const receivedAt = '2026-03-01T02:00:00.000Z'; // 10:00 on 1 March in Shanghai
    const deadlineOf = async (overrides: Record<string, unknown>) => (await createCase(t, team.staff, team.ws.id, { receivedAt, ...overrides })).deadlineAt;

    it('follows the statutory periods', async () => {
      expect(await deadlineOf({ source: 'walk_in' })).toBe('2026-03-16T16:00:00.000Z');
      expect(await deadlineOf({ source: 'court_assigned' })).toBe('2026-03-31T16:00:00.000Z');
      expect(await deadlineOf({ source: 'court_entrusted' })).toBe('2026-03-16T16:00:00.000Z');
      // 8 March 2026 is a Sunday: a court period whose last day is a rest day ends on the next working day (art. 85).
      expect(await deadlineOf({ source: 'court_entrusted', simpleProcedure: true })).toBe('2026-03-09T16:00:00.000Z');
      expect(await deadlineOf({ source: 'court_entrusted', mediationDeadline: '2026-03-20' })).toBe('2026-03-20T16:00:00.000Z');
    });

    it('refuses a court deadline on a walk-in case and a deadline before receipt', async () => {
      await t.http.post(api('/cases')).set(bearer(team.staff)).send(caseBody(team.ws.id, { receivedAt, mediationDeadline: '2026-03-20' })).expect(400);
      await t.http.post(api('/cases')).set(bearer(team.staff)).send(caseBody(team.ws.id, { receivedAt, source: 'court_assigned', mediationDeadline: '2026-02-20' })).expect(400);
    });

    it('moves the deadline on an agreed extension and records the reason', async () => {
      const c = await caseInState(t, team, 'assigned');
      const before = (await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.mediator))).body;
      const res = await t.http.post(api(`/cases/${c.id}/extension`)).set(bearer(team.mediator)).send({ days: 10, reason: '双方同意延长' , agreedBy: ['applicant', 'respondent']}).expect(200);
      expect(new Date(res.body.deadlineAt).getTime() - new Date(before.deadlineAt).getTime()).toBe(10 * 86400_000);
      expect(res.body.extensionDays).toBe(10);
      const events = (await t.http.get(api(`/cases/${c.id}/events`)).set(bearer(team.mediator))).body;
      expect(events.at(-1)).toMatchObject({ type: 'deadline_extended', after: { days: 10, reason: '双方同意延长' } });
      await t.http.post(api(`/cases/${c.id}/extension`)).set(bearer(team.mediator)).send({ days: 0, reason: 'x' , agreedBy: ['applicant', 'respondent']}).expect(400);
    });
  });

  describe('forbidden transitions', () => {
    // Each action, and the states from which DESIGN.md does not allow it.
    const actions: Array<{ name: string; states: string[]; run: (c: Awaited<ReturnType<typeof caseInState>>) => Promise<{ status: number; body: any }> }> = [
      { name: 'assign', states: ['agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'], run: (c) => t.http.post(api(`/cases/${c.id}/assign`)).set(bearer(team.staff)).send({ mediatorId: team.mediator2.id }) },
      { name: 'session', states: ['registered', 'agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'], run: (c) => t.http.post(api(`/cases/${c.id}/sessions`)).set(bearer(team.mediator)).send({ scheduledAt: new Date(Date.now() + 86400_000).toISOString(), mode: 'phone' }) },
      { name: 'agreement', states: ['registered', 'agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'], run: (c) => t.http.post(api(`/cases/${c.id}/agreement`)).set(bearer(team.mediator)).send({ terms: 't', agreedAmount: '1.00', signedAt: new Date().toISOString(), installments: [] }) },
      // DESIGN.md: after a rejected confirmation the case may fail (or be renegotiated).
      { name: 'failure', states: ['agreement_reached', 'confirmation_requested', 'confirmed', 'failed', 'withdrawn'], run: (c) => t.http.post(api(`/cases/${c.id}/failure`)).set(bearer(team.mediator)).send({ reason: 'r' }) },
      { name: 'withdrawal', states: ['agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'], run: (c) => t.http.post(api(`/cases/${c.id}/withdrawal`)).set(bearer(team.mediator)).send({ reason: 'r' }) },
      { name: 'extension', states: ['agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'], run: (c) => t.http.post(api(`/cases/${c.id}/extension`)).set(bearer(team.mediator)).send({ days: 5, reason: 'r' , agreedBy: ['applicant', 'respondent']}) },
      { name: 'confirmation request', states: ['assigned', 'in_mediation', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'], run: (c) => t.http.post(api(`/cases/${c.id}/confirmation-request`)).set(bearer(team.mediator)).send({}) },
    ];
    const states = ['registered', 'assigned', 'in_mediation', 'agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected', 'failed', 'withdrawn'] as const;
    const cases: Record<string, Awaited<ReturnType<typeof caseInState>>> = {};

    beforeAll(async () => {
      for (const s of states) cases[s] = await caseInState(t, team, s);
    });

    it('answers 409 with the current state and changes nothing', async () => {
      let tried = 0;
      for (const action of actions) {
        for (const state of action.states) {
          const c = cases[state];
          // A mediator cannot see an unassigned case at all (404); union staff try those instead.
          if (state === 'registered' && ['session', 'agreement', 'confirmation request'].includes(action.name)) continue;
          const before = await t.db.query('SELECT status, version FROM cases WHERE id = $1', [c.id]);
          const eventsBefore = await t.db.query('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1', [c.id]);
          const res = await action.run(c);
          expect({ action: action.name, state, status: res.status }).toEqual({ action: action.name, state, status: 409 });
          expect(res.body.details).toMatchObject({ status: state });
          expect(await t.db.query('SELECT status, version FROM cases WHERE id = $1', [c.id])).toEqual(before);
          expect(await t.db.query('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1', [c.id])).toEqual(eventsBefore);
          tried++;
        }
      }
      expect(tried).toBeGreaterThan(40);
    });

    it('refuses a ruling on a confirmation that is already ruled with another decision', async () => {
      const res = await t.http
        .post(api(`/confirmations/${cases.confirmation_rejected.confirmationId}/ruling`))
        .set(bearer(team.clerk))
        .send({ decision: 'confirmed', rulingNumber: 'X' })
        .expect(409);
      expect(res.body.details.status).toBe('rejected');
    });

    it('refuses to record a session twice or to move a held one', async () => {
      const c = cases.in_mediation;
      await t.http.patch(api(`/sessions/${c.sessionId}`)).set(bearer(team.mediator)).send({ status: 'no_show' }).expect(409);
      await t.http.patch(api(`/sessions/${c.sessionId}`)).set(bearer(team.mediator)).send({ scheduledAt: new Date().toISOString() }).expect(409);
    });
  });

  describe('optimistic concurrency', () => {
    it('answers a stale expectedVersion or If-Match with 409 and the current version', async () => {
      const c = await caseInState(t, team, 'assigned');
      const current = (await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.mediator))).body.version;
      const stale = await t.http.post(api(`/cases/${c.id}/extension`)).set(bearer(team.mediator)).send({ days: 3, reason: 'r', agreedBy: ['applicant', 'respondent'], expectedVersion: current - 1 }).expect(409);
      expect(stale.body.details.version).toBe(current);
      const staleHeader = await t.http.post(api(`/cases/${c.id}/extension`)).set(bearer(team.mediator)).set('If-Match', `"${current - 1}"`).send({ days: 3, reason: 'r' , agreedBy: ['applicant', 'respondent']}).expect(409);
      expect(staleHeader.body.details.version).toBe(current);
      const ok = await t.http.post(api(`/cases/${c.id}/extension`)).set(bearer(team.mediator)).set('If-Match', `"${current}"`).send({ days: 3, reason: 'r' , agreedBy: ['applicant', 'respondent']}).expect(200);
      expect(ok.body.version).toBe(current + 1);
      await t.http.post(api(`/cases/${c.id}/extension`)).set(bearer(team.mediator)).set('If-Match', 'garbage').send({ days: 3, reason: 'r' , agreedBy: ['applicant', 'respondent']}).expect(400);
    });

    it('lets exactly one of several parallel updates with the same version through', async () => {
      const c = await caseInState(t, team, 'assigned');
      const version = (await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.mediator))).body.version;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => t.http.post(api(`/cases/${c.id}/extension`)).set(bearer(team.mediator)).send({ days: i + 1, reason: 'r', agreedBy: ['applicant', 'respondent'], expectedVersion: version })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      const [row] = await t.db.query('SELECT version FROM cases WHERE id = $1', [c.id]);
      expect(row.version).toBe(version + 1);
    });
  });

  describe('installment plans', () => {
    it('refuses plans that do not add up, are out of order or before the agreement', async () => {
      const c = await caseInState(t, team, 'in_mediation');
      const body = { terms: 't', agreedAmount: '100.00', signedAt: new Date().toISOString() };
      const bad = [
        [{ dueDate: '2099-01-01', amount: '50.00' }],
        [{ dueDate: '2099-02-01', amount: '50.00' }, { dueDate: '2099-01-01', amount: '50.00' }],
        [{ dueDate: '2000-01-01', amount: '100.00' }],
        [{ dueDate: '2099-02-30', amount: '100.00' }],
        [{ dueDate: '2099-01-01', amount: 100 }],
      ];
      for (const installments of bad) await t.http.post(api(`/cases/${c.id}/agreement`)).set(bearer(team.mediator)).send({ ...body, installments }).expect(400);
      const [row] = await t.db.query('SELECT status FROM cases WHERE id = $1', [c.id]);
      expect(row.status).toBe('in_mediation');
    });

    it('shows an unpaid installment past its due date as overdue', async () => {
      const c = await caseInState(t, team, 'in_mediation');
      const res = await t.http
        .post(api(`/cases/${c.id}/agreement`))
        .set(bearer(team.mediator))
        .send({ terms: 't', agreedAmount: '100.00', signedAt: new Date().toISOString(), installments: [{ dueDate: new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10), amount: '100.00' }] })
        .expect(201);
      expect(res.body.agreement.installments[0].status).toBe('due');
      t.clock.advanceDays(5);
      try {
        const later = await t.http.get(api(`/cases/${c.id}`)).set(bearer(team.mediator)).expect(200);
        expect(later.body.agreement.installments[0].status).toBe('overdue');
      } finally {
        t.clock.advanceDays(-5);
      }
    });
  });

  describe('judicial confirmation window', () => {
    it('accepts a joint application within 30 days of the agreement taking effect, and refuses a later one', async () => {
      const day = 86400_000;
      const received = new Date(Date.now() - 45 * day).toISOString();
      const signed = new Date(Date.now() - 40 * day);
      const agreeFor = async () => {
        const c = await caseInState(t, team, 'assigned', { receivedAt: received });
        await t.http.post(api(`/cases/${c.id}/agreement`)).set(bearer(team.mediator)).send({ terms: 't', agreedAmount: '1.00', signedAt: signed.toISOString(), installments: [] }).expect(201);
        return c;
      };
      const late = await agreeFor();
      const res = await t.http.post(api(`/cases/${late.id}/confirmation-request`)).set(bearer(team.mediator)).send({}).expect(409);
      expect(res.body.message).toMatch(/30-day window/);
      const inTime = await agreeFor();
      await t.http.post(api(`/cases/${inTime.id}/confirmation-request`)).set(bearer(team.mediator)).send({ appliedAt: new Date(signed.getTime() + 29 * day).toISOString() }).expect(201);
      await t.http.post(api(`/cases/${late.id}/confirmation-request`)).set(bearer(team.mediator)).send({ appliedAt: new Date(signed.getTime() - day).toISOString() }).expect(400);
    });
  });

  describe('mediator suggestions', () => {
    it('ranks by open caseload, then experience with the dispute type', async () => {
      const fresh = await makeWorkstationTeam(t);
      // mediator carries two open cases, mediator2 none.
      await caseInState(t, fresh, 'assigned');
      await caseInState(t, fresh, 'in_mediation');
      const c = await caseInState(t, fresh, 'registered');
      const res = await t.http.get(api(`/cases/${c.id}/mediator-suggestions`)).set(bearer(fresh.staff)).expect(200);
      expect(res.body.map((s: { mediatorId: string; openCases: number }) => [s.mediatorId, s.openCases])).toEqual([
        [fresh.mediator2.id, 0],
        [fresh.mediator.id, 2],
      ]);
      await t.http.get(api(`/cases/${c.id}/mediator-suggestions`)).set(bearer(fresh.mediator)).expect(403);
    });

    it('refuses a mediator of another workstation', async () => {
      const other = await makeWorkstationTeam(t);
      const c = await caseInState(t, team, 'registered');
      const res = await t.http.post(api(`/cases/${c.id}/assign`)).set(bearer(team.staff)).send({ mediatorId: other.mediator.id }).expect(400);
      expect(res.body.details.field).toBe('mediatorId');
      const admin = await makeUser(t, Role.Admin, null);
      await t.http.post(api(`/cases/${c.id}/assign`)).set(bearer(admin)).send({ mediatorId: team.staff.id }).expect(400);
    });
  });
});
