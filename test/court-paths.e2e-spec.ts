import { Role } from '../src/accounts-core/role.enum';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { caseBody, caseInState, createCase } from './utils/case-factory';
import { createTestApp, TestApp } from './utils/test-app';

type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;
const api = (path: string) => `/api/v1${path}`;
const BOTH = ['applicant', 'respondent'];

/** The court paths of DESIGN.md "Case lifecycle", through the API; every bad input a 4xx that changes nothing. */
describe('court paths by the law (e2e)', () => {
  let t: TestApp;
  let team: Team;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(() => t.close());

  const post = (user: TestUser, path: string, body: Record<string, unknown> = {}) => t.http.post(api(path)).set(bearer(user)).send(body);
  const get = async (user: TestUser, path: string) => (await t.http.get(api(path)).set(bearer(user)).expect(200)).body;
  /** The case row and its timeline length: what a refused request must leave alone. */
  const snapshot = async (id: string) => ({
    row: (await t.db.query(`SELECT status, version, deadline_at, extension_days, hand_off FROM cases WHERE id = $1`, [id]))[0],
    events: (await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1`, [id]))[0].n,
  });
  const lastEvent = async (id: string, viewer: TestUser = admin) => (await get(viewer, `/cases/${id}/events`)).at(-1);

  describe('entrusted cases (委托)', () => {
    it('refuses 司法确认 with a 409 that says why, and closes with the court outcome by the clerk', async () => {
      const c = await caseInState(t, team, 'agreement_reached', { source: 'court_entrusted', courtCaseNumber: '(2026)鄂0102民初7号' });
      const before = await snapshot(c.id);
      const refused = await post(team.mediator, `/cases/${c.id}/confirmation-request`).expect(409);
      expect(refused.body.message).toMatch(/mediation document/);
      expect(refused.body.messageZh).toContain('民事调解书');
      expect(refused.body.details).toMatchObject({ status: 'agreement_reached', source: 'court_entrusted' });
      await post(team.mediator, `/cases/${c.id}/confirmation-waiver`).expect(409);
      expect(await snapshot(c.id)).toEqual(before);

      expect((await get(team.clerk, `/cases/${c.id}`)).allowedActions).toEqual(['record_court_outcome']);
      expect((await get(team.mediator, `/cases/${c.id}`)).allowedActions.sort()).toEqual(['add_note', 'record_payment']);

      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      await post(team.mediator, `/cases/${c.id}/court-outcome`, { outcome: 'mediation_document', documentNumber: 'X', date: today }).expect(403);
      await post(team.clerk, `/cases/${c.id}/court-outcome`, { outcome: 'mediation_document', date: today }).expect(400);
      await post(team.clerk, `/cases/${c.id}/court-outcome`, { outcome: 'mediation_document', documentNumber: 'X', date: '2026-02-30' }).expect(400);
      await post(team.clerk, `/cases/${c.id}/court-outcome`, { outcome: 'mediation_document', documentNumber: 'X', date: '2099-01-01' }).expect(400);
      await post(team.clerk, `/cases/${c.id}/court-outcome`, { outcome: 'verdict', date: today }).expect(400);
      expect(await snapshot(c.id)).toEqual(before);

      const done = await post(team.clerk, `/cases/${c.id}/court-outcome`, { outcome: 'mediation_document', documentNumber: '(2026)鄂0102民初7号', date: today }).expect(200);
      expect(done.body).toMatchObject({ status: 'court_concluded', courtOutcome: { outcome: 'mediation_document', documentNumber: '(2026)鄂0102民初7号', date: today } });
      expect(await lastEvent(c.id)).toMatchObject({ type: 'court_outcome_recorded', actorId: team.clerk.id, after: { status: 'court_concluded', outcome: 'mediation_document' } });
      await post(team.clerk, `/cases/${c.id}/court-outcome`, { outcome: 'suit_withdrawn', date: today }).expect(409);
    });

    it('records a withdrawal of the suit (撤诉) without a document number, and refuses the court outcome on other sources', async () => {
      const c = await caseInState(t, team, 'agreement_reached', { source: 'court_entrusted' });
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      await post(team.clerk, `/cases/${c.id}/court-outcome`, { outcome: 'suit_withdrawn', date: today }).expect(200);
      const walkIn = await caseInState(t, team, 'agreement_reached');
      const res = await post(team.clerk, `/cases/${walkIn.id}/court-outcome`, { outcome: 'suit_withdrawn', date: today }).expect(409);
      expect(res.body.messageZh).toContain('委托');
    });
  });

  describe('司法确认', () => {
    it('records a joint request, then acceptance with the 调确 number, the once-only extension and the ruling from acceptance', async () => {
      const c = await caseInState(t, team, 'agreement_reached');
      const requested = await post(team.mediator, `/cases/${c.id}/confirmation-request`, { court: '测试区人民法院' }).expect(201);
      expect(requested.body.status).toBe('confirmation_requested');
      const detail = await get(team.clerk, `/cases/${c.id}`);
      const conf = detail.confirmation;
      expect(conf).toMatchObject({ status: 'pending', court: '测试区人民法院', acceptanceNumber: null, rulingDueAt: null });
      expect(conf.applicants.map((a: { side: string }) => a.side)).toEqual(['applicant', 'respondent']);
      expect(conf.acceptanceDueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(detail.allowedActions.sort()).toEqual(['accept_confirmation', 'decline_confirmation']);

      // The ruling waits for acceptance; acceptance needs its number and the clerk.
      const before = await snapshot(c.id);
      await post(team.clerk, `/confirmations/${conf.id}/ruling`, { decision: 'confirmed', rulingNumber: 'R1' }).expect(409);
      await post(team.clerk, `/confirmations/${conf.id}/acceptance`, { decision: 'accepted' }).expect(400);
      await post(team.clerk, `/confirmations/${conf.id}/acceptance`, { decision: 'not_accepted' }).expect(400);
      await post(team.clerk, `/confirmations/${conf.id}/acceptance`, { decision: 'maybe', acceptanceNumber: 'A' }).expect(400);
      await post(team.mediator, `/confirmations/${conf.id}/acceptance`, { decision: 'accepted', acceptanceNumber: 'A' }).expect(403);
      await post(team.clerk, `/confirmations/${conf.id}/extension`, { reason: '复杂' }).expect(409);
      expect(await snapshot(c.id)).toEqual(before);

      const queue = await get(team.clerk, '/confirmations?status=pending');
      expect(queue.items.find((i: { id: string }) => i.id === conf.id)).toMatchObject({ status: 'pending', acceptanceDueAt: conf.acceptanceDueAt });

      const accepted = await post(team.clerk, `/confirmations/${conf.id}/acceptance`, { decision: 'accepted', acceptanceNumber: '(2026)测民特调确1号' }).expect(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', acceptanceNumber: '(2026)测民特调确1号', rulingExtended: false });
      const acceptedDay = new Date(new Date(accepted.body.acceptedAt).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86400_000);
      // 15 days from acceptance, moved to a working day when the 15th is a rest day or holiday.
      expect(days(acceptedDay, accepted.body.rulingDueDate)).toBeGreaterThanOrEqual(15);
      expect(days(acceptedDay, accepted.body.rulingDueDate)).toBeLessThanOrEqual(24);
      // Repeating the same acceptance answers the same; another decision is a 409.
      await post(team.clerk, `/confirmations/${conf.id}/acceptance`, { decision: 'accepted', acceptanceNumber: '(2026)测民特调确1号' }).expect(200);
      await post(team.clerk, `/confirmations/${conf.id}/acceptance`, { decision: 'not_accepted', reason: 'x' }).expect(409);
      expect((await get(team.clerk, '/confirmations?status=accepted')).items.map((i: { id: string }) => i.id)).toContain(conf.id);

      const extended = await post(team.clerk, `/confirmations/${conf.id}/extension`, { reason: '案情复杂，经批准延长' }).expect(200);
      expect(extended.body.rulingExtended).toBe(true);
      expect(days(acceptedDay, extended.body.rulingDueDate)).toBeGreaterThanOrEqual(25);
      expect(days(acceptedDay, extended.body.rulingDueDate)).toBeLessThanOrEqual(34);
      const again = await post(team.clerk, `/confirmations/${conf.id}/extension`, { reason: '再次延长' }).expect(409);
      expect(again.body.messageZh).toContain('只能延长一次');
      expect(await lastEvent(c.id)).toMatchObject({ type: 'ruling_extended', after: { rulingDueAt: extended.body.rulingDueAt } });

      const ruled = await post(team.clerk, `/confirmations/${conf.id}/ruling`, { decision: 'confirmed', rulingNumber: '(2026)测民特1号' }).expect(200);
      expect(ruled.body).toMatchObject({ status: 'confirmed', acceptanceNumber: '(2026)测民特调确1号', rulingNumber: '(2026)测民特1号' });
      const types = (await get(team.staff, `/cases/${c.id}/events`)).map((e: { type: string }) => e.type);
      expect(types.slice(-4)).toEqual(['confirmation_requested', 'confirmation_accepted', 'ruling_extended', 'confirmation_confirmed']);
    });

    it('after a rejection, renegotiates back to mediation with a new agreement, or fails', async () => {
      const c = await caseInState(t, team, 'confirmation_rejected');
      const detail = await get(team.mediator, `/cases/${c.id}`);
      expect(detail.allowedActions.sort()).toEqual(['add_note', 'fail', 'record_payment', 'renegotiate']);
      await post(team.clerk, `/cases/${c.id}/renegotiation`, { reason: 'x' }).expect(403);
      await post(team.mediator, `/cases/${c.id}/renegotiation`, {}).expect(400);
      const back = await post(team.mediator, `/cases/${c.id}/renegotiation`, { reason: '双方同意变更协议内容' }).expect(200);
      expect(back.body).toMatchObject({ status: 'in_mediation', concludedAt: null, overdue: false });
      const reopened = await get(team.mediator, `/cases/${c.id}`);
      expect(reopened.agreement).toBeNull();
      expect(reopened.confirmation).toBeNull();
      expect(await lastEvent(c.id)).toMatchObject({ type: 'case_renegotiated', before: { status: 'confirmation_rejected' }, after: { status: 'in_mediation' } });

      const agreed = await post(team.mediator, `/cases/${c.id}/agreement`, { terms: '变更后的协议', agreedAmount: '9000.00', signedAt: new Date().toISOString(), installments: [] }).expect(201);
      expect(agreed.body.agreement.agreedAmount).toBe('9000.00');
      await post(team.mediator, `/cases/${c.id}/confirmation-request`).expect(201);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM agreements WHERE case_id = $1`, [c.id]);
      expect(n).toBe(2); // the old one kept, superseded

      const other = await caseInState(t, team, 'confirmation_requested');
      await post(team.clerk, `/confirmations/${other.confirmationId}/acceptance`, { decision: 'not_accepted', reason: '不属于受理范围' }).expect(200);
      expect((await get(team.mediator, `/cases/${other.id}`)).confirmation).toMatchObject({ status: 'rejected', reason: '不属于受理范围', acceptedAt: null });
      const failed = await post(team.mediator, `/cases/${other.id}/failure`, { reason: '当事人不愿再调解' }).expect(200);
      expect(failed.body).toMatchObject({ status: 'failed', handOff: 'arbitration' });
    });

    it('records a waiver that stops the application reminders, once', async () => {
      const c = await caseInState(t, team, 'agreement_reached');
      const active = async () => (await t.db.query(`SELECT count(*)::int AS n FROM reminders WHERE case_id = $1 AND kind = 'confirmation_application' AND status IN ('pending', 'enqueued')`, [c.id]))[0].n;
      expect(await active()).toBe(2);
      const waived = await post(team.mediator, `/cases/${c.id}/confirmation-waiver`, { reason: '双方自愿履行' }).expect(200);
      expect(waived.body.status).toBe('agreement_reached');
      expect(waived.body.confirmationWaivedAt).toEqual(expect.any(String));
      expect(await active()).toBe(0);
      expect(await lastEvent(c.id)).toMatchObject({ type: 'confirmation_waived', after: { reason: '双方自愿履行' } });
      await post(team.mediator, `/cases/${c.id}/confirmation-waiver`).expect(409);
    });
  });

  describe('failure and its hand-off', () => {
    it('returns a failed court case to the court and tells the clerks at once', async () => {
      const c = await caseInState(t, team, 'in_mediation', { source: 'court_assigned' });
      const before = await snapshot(c.id);
      await post(team.mediator, `/cases/${c.id}/failure`, { reason: 'r', handOff: 'arbitration' }).expect(400);
      await post(team.mediator, `/cases/${c.id}/failure`, { reason: 'r', handOff: 'elsewhere' }).expect(400);
      expect(await snapshot(c.id)).toEqual(before);
      const res = await post(team.mediator, `/cases/${c.id}/failure`, { reason: '用人单位拒绝调解' }).expect(200);
      expect(res.body).toMatchObject({ status: 'failed', handOff: 'returned_to_court' });
      const notes = await t.db.query(`SELECT user_id, message FROM notifications WHERE case_id = $1 AND kind = 'case_returned_to_court'`, [c.id]);
      expect(notes.map((n: { user_id: string }) => n.user_id)).toEqual([team.clerk.id]);
      expect(notes[0].message).toContain('退回法院');
      expect(await lastEvent(c.id)).toMatchObject({ type: 'case_failed', after: { handOff: 'returned_to_court', reason: '用人单位拒绝调解' } });
    });

    it('advises arbitration (or nothing) for any other case, never the court', async () => {
      const c = await caseInState(t, team, 'in_mediation');
      await post(team.mediator, `/cases/${c.id}/failure`, { reason: 'r', handOff: 'returned_to_court' }).expect(400);
      expect((await post(team.mediator, `/cases/${c.id}/failure`, { reason: 'r' }).expect(200)).body.handOff).toBe('arbitration');
      const d = await caseInState(t, team, 'assigned');
      expect((await post(team.mediator, `/cases/${d.id}/failure`, { reason: 'r', handOff: 'none' }).expect(200)).body.handOff).toBe('none');
    });
  });

  describe('extensions', () => {
    it("needs both parties' agreement, the court's approval for a court case, and stays within MAX_EXTENSION_DAYS", async () => {
      const c = await caseInState(t, team, 'assigned');
      const before = await snapshot(c.id);
      await post(team.mediator, `/cases/${c.id}/extension`, { days: 5, reason: 'r' }).expect(400);
      await post(team.mediator, `/cases/${c.id}/extension`, { days: 5, reason: 'r', agreedBy: ['applicant'] }).expect(400);
      await post(team.mediator, `/cases/${c.id}/extension`, { days: 5, reason: 'r', agreedBy: ['applicant', 'judge'] }).expect(400);
      await post(team.mediator, `/cases/${c.id}/extension`, { days: 31, reason: 'r', agreedBy: BOTH }).expect(409);
      expect(await snapshot(c.id)).toEqual(before);
      await post(team.mediator, `/cases/${c.id}/extension`, { days: 20, reason: '双方同意', agreedBy: BOTH }).expect(200);
      const over = await post(team.mediator, `/cases/${c.id}/extension`, { days: 11, reason: 'r', agreedBy: BOTH }).expect(409);
      expect(over.body.details).toMatchObject({ maxExtensionDays: 30, extensionDays: 20 });
      const ok = await post(team.mediator, `/cases/${c.id}/extension`, { days: 10, reason: 'r', agreedBy: BOTH }).expect(200);
      expect(ok.body.extensionDays).toBe(30);
      expect(await lastEvent(c.id)).toMatchObject({ type: 'deadline_extended', after: { agreedBy: BOTH, days: 10, deadlineDate: ok.body.deadlineDate } });

      const court = await caseInState(t, team, 'assigned', { source: 'court_assigned' });
      await post(team.mediator, `/cases/${court.id}/extension`, { days: 5, reason: 'r', agreedBy: BOTH }).expect(400);
      const approved = await post(team.mediator, `/cases/${court.id}/extension`, {
        days: 5,
        reason: '法院同意延长',
        agreedBy: BOTH,
        courtApproval: { approvedAt: new Date().toISOString(), reference: '承办法官电话同意' },
      }).expect(200);
      expect(approved.body.extensionDays).toBe(5);
      expect(await lastEvent(court.id)).toMatchObject({ after: { courtApproval: { reference: '承办法官电话同意' } } });
    });
  });

  describe('sessions', () => {
    it('can be marked held or no-show only from the scheduled time on', async () => {
      const c = await caseInState(t, team, 'assigned');
      const s = await post(team.mediator, `/cases/${c.id}/sessions`, { scheduledAt: new Date(Date.now() + 2 * 3600_000).toISOString(), mode: 'video' }).expect(201);
      const before = await snapshot(c.id);
      for (const status of ['held', 'no_show']) {
        const res = await t.http.patch(api(`/sessions/${s.body.id}`)).set(bearer(team.mediator)).send({ status }).expect(409);
        expect(res.body.messageZh).toContain('尚未到安排的时间');
      }
      expect(await snapshot(c.id)).toEqual(before);
      await t.http.patch(api(`/sessions/${s.body.id}`)).set(bearer(team.mediator)).send({ status: 'cancelled' }).expect(200);
    });
  });

  describe('parties', () => {
    it('records an employer that applied, with service addresses, agents and the representatives of a collective dispute', async () => {
      const res = await post(team.staff, '/cases', caseBody(team.ws.id, {
        workerCount: 5,
        applicant: { kind: 'employer', name: '黄石某某机械有限公司', creditCode: '91420200MA4K0000XX', address: '黄石市下陆区某路1号', agent: { name: '李律师', phone: '13900000000', relation: '委托代理人' } },
        respondent: { name: '王五', idNumber: '420203199001011234', phone: '13700000000', address: '黄石市某小区' },
        representatives: [{ name: '王五', phone: '13700000000' }, { name: '赵六' }],
      })).expect(201);
      expect(res.body.applicant).toMatchObject({ kind: 'employer', name: '黄石某某机械有限公司', creditCode: '91420200MA4K0000XX', address: '黄石市下陆区某路1号', agent: { name: '李律师', relation: '委托代理人' } });
      expect(res.body.respondent).toMatchObject({ kind: 'worker', name: '王五', idNumber: '420***********1234', address: '黄石市某小区' });
      expect(res.body.representatives).toEqual([{ name: '王五', phone: '13700000000' }, { name: '赵六', phone: null }]);
    });

    it('keeps older clients working (a worker applies) and refuses parties that contradict their kind', async () => {
      const old = await createCase(t, team.staff, team.ws.id);
      expect((await get(team.staff, `/cases/${old.id}`)).applicant.kind).toBe('worker');
      const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM cases`);
      await post(team.staff, '/cases', caseBody(team.ws.id, { applicant: { kind: 'employer', name: 'A公司' }, respondent: { kind: 'employer', name: 'B公司' } })).expect(400);
      await post(team.staff, '/cases', caseBody(team.ws.id, { applicant: { name: '张三', creditCode: '91420200MA4K0000XX' } })).expect(400);
      await post(team.staff, '/cases', caseBody(team.ws.id, { applicant: { kind: 'boss', name: '张三' } })).expect(400);
      await post(team.staff, '/cases', caseBody(team.ws.id, { workerCount: 2, representatives: [{ name: '甲' }] })).expect(400);
      await post(team.staff, '/cases', caseBody(team.ws.id, { applicant: { name: '张三', agent: { phone: '139' } } })).expect(400);
      const [{ n: after }] = await t.db.query(`SELECT count(*)::int AS n FROM cases`);
      expect(after).toBe(before);
    });
  });

  describe('corrections and voiding', () => {
    it('corrects registered facts with old and new values in the timeline; a concluded case only by an admin', async () => {
      const c = await caseInState(t, team, 'assigned');
      const res = await t.http.patch(api(`/cases/${c.id}`)).set(bearer(team.staff)).send({ applicant: { name: '张三丰', idNumber: '420102199001015678' }, claimAmount: '15000', disputeType: 'overtime' }).expect(200);
      expect(res.body).toMatchObject({ applicant: { name: '张三丰' }, claimAmount: '15000.00', disputeType: 'overtime' });
      const event = await lastEvent(c.id);
      expect(event).toMatchObject({ type: 'case_corrected', actorId: team.staff.id, after: { applicantName: '张三丰', claimAmount: '15000.00', disputeType: 'overtime', applicantIdNumber: '420***********5678' } });
      expect(event.before).toMatchObject({ disputeType: 'wage_arrears', claimAmount: '12500.00' });
      expect(event.before.applicantName).not.toBe('张三丰');

      const before = await snapshot(c.id);
      await t.http.patch(api(`/cases/${c.id}`)).set(bearer(team.staff)).send({ summary: '拖欠工资纠纷', expectedVersion: 1 }).expect(409);
      await t.http.patch(api(`/cases/${c.id}`)).set(bearer(team.staff)).send({ applicant: { name: '张三丰' } }).expect(400);
      await t.http.patch(api(`/cases/${c.id}`)).set(bearer(team.staff)).send({ respondent: { idNumber: '420102199001015678' } }).expect(400);
      await t.http.patch(api(`/cases/${c.id}`)).set(bearer(team.staff)).send({ claimAmount: 100 }).expect(400);
      await t.http.patch(api(`/cases/${c.id}`)).set(bearer(team.mediator)).send({ summary: 'x' }).expect(403);
      expect(await snapshot(c.id)).toEqual(before);

      const done = await caseInState(t, team, 'failed');
      await t.http.patch(api(`/cases/${done.id}`)).set(bearer(team.staff)).send({ summary: '更正后的摘要' }).expect(403);
      await t.http.patch(api(`/cases/${done.id}`)).set(bearer(admin)).send({ summary: '更正后的摘要' }).expect(200);
    });

    it('voids a mistaken entry: its number stays used, it leaves every statistic, and it takes nothing more', async () => {
      const fresh = await makeWorkstationTeam(t);
      const first = await createCase(t, fresh.staff, fresh.ws.id);
      const mistaken = await createCase(t, fresh.staff, fresh.ws.id);
      const summary = async () => get(fresh.staff, `/stats/summary?workstationId=${fresh.ws.id}`);
      expect((await summary()).received).toBe(2);
      await post(fresh.staff, `/cases/${mistaken.id}/void`, {}).expect(400);
      await post(fresh.mediator, `/cases/${mistaken.id}/void`, { reason: '重复登记' }).expect(404); // not their case
      const voided = await post(fresh.staff, `/cases/${mistaken.id}/void`, { reason: '重复登记' }).expect(200);
      expect(voided.body).toMatchObject({ status: 'voided', voided: true, voidReason: '重复登记', caseNumber: mistaken.caseNumber });
      expect((await get(fresh.staff, `/cases/${mistaken.id}`)).allowedActions).toEqual([]);
      expect(await lastEvent(mistaken.id)).toMatchObject({ type: 'case_voided', after: { status: 'voided', reason: '重复登记' } });
      expect((await summary()).received).toBe(1);
      await post(fresh.staff, `/cases/${mistaken.id}/assign`, { mediatorId: fresh.mediator.id }).expect(409);
      const next = await createCase(t, fresh.staff, fresh.ws.id);
      expect([first.caseNumber, mistaken.caseNumber, next.caseNumber].map((n) => Number(n.slice(-6)))).toEqual([1, 2, 3]);
      const concluded = await caseInState(t, fresh, 'withdrawn');
      await post(fresh.staff, `/cases/${concluded.id}/void`, { reason: 'x' }).expect(409);

      // An entrusted case closed by the court counts as an agreement and in courtConcluded, not among those that may be confirmed.
      const entrusted = await caseInState(t, fresh, 'agreement_reached', { source: 'court_entrusted' });
      const confirmed = await caseInState(t, fresh, 'confirmed');
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      await post(fresh.clerk, `/cases/${entrusted.id}/court-outcome`, { outcome: 'suit_withdrawn', date: today }).expect(200);
      expect(await summary()).toMatchObject({ received: 5, concluded: 3, agreements: 2, withdrawn: 1, confirmed: 1, courtConcluded: 1, confirmable: 1, confirmationRate: 1, successRate: 0.6667 });
      expect(confirmed.id).toBeDefined();
    });
  });

  describe('dates', () => {
    it('refuses impossible court deadlines and deadlines more than a year after receipt; shows the last day as deadlineDate', async () => {
      const [{ n: before }] = await t.db.query(`SELECT count(*)::int AS n FROM cases`);
      const receivedAt = '2026-03-01T02:00:00.000Z';
      for (const mediationDeadline of ['2026-13-45', '2026-02-30', '2027-03-05', '2026-03-20T25:00:00Z']) {
        const res = await post(team.staff, '/cases', caseBody(team.ws.id, { source: 'court_assigned', receivedAt, mediationDeadline })).expect(400);
        expect(res.body.details.field).toBe('mediationDeadline');
      }
      const [{ n: after }] = await t.db.query(`SELECT count(*)::int AS n FROM cases`);
      expect(after).toBe(before);
      const ok = await createCase(t, team.staff, team.ws.id, { source: 'court_assigned', receivedAt, mediationDeadline: '2026-03-20' });
      expect(ok.deadlineAt).toBe('2026-03-20T16:00:00.000Z');
      expect((ok as unknown as { deadlineDate: string }).deadlineDate).toBe('2026-03-20');
      const walkIn = await createCase(t, team.staff, team.ws.id, { receivedAt });
      expect((walkIn as unknown as { deadlineDate: string }).deadlineDate).toBe('2026-03-16');
      // The export prints the same last day, never the next day's 00:00.
      const csv = await t.http.get(api(`/cases/export.csv?q=${walkIn.caseNumber}`)).set(bearer(team.staff)).expect(200);
      expect(csv.text).toContain(',2026-03-16,');
      expect(csv.text).not.toContain('2026-03-17 00:00');
    });
  });

  describe('labels', () => {
    it('serves the Chinese and English label of every code, without a token', async () => {
      const res = await t.http.get(api('/labels')).expect(200);
      for (const group of ['caseStatus', 'caseSource', 'disputeType', 'caseAction', 'handOff', 'eventType', 'consultationChannel', 'consultationOutcome', 'reminderKind', 'role', 'sessionMode', 'sessionStatus', 'confirmationStatus', 'partyKind', 'courtOutcome']) {
        expect(Object.keys(res.body[group]).length).toBeGreaterThan(1);
        for (const label of Object.values(res.body[group]) as Array<{ zh: string; en: string }>) expect(label).toEqual({ zh: expect.any(String), en: expect.any(String) });
      }
      expect(res.body.caseStatus.voided.zh).toBe('作废');
      expect(res.body.disputeType.wage_arrears.zh).toBe('拖欠劳动报酬');
      expect(res.body.caseSource.walk_in.zh).toBe('当事人申请');
      expect(Object.keys(res.body.caseAction)).toEqual(expect.arrayContaining(['correct', 'void', 'waive_confirmation', 'accept_confirmation', 'decline_confirmation', 'extend_ruling', 'record_court_outcome', 'renegotiate']));
    });
  });
});
