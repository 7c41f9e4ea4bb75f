import { DataSource } from 'typeorm';
import { Role } from '../src/accounts-core/role.enum';
import { Case } from '../src/case-core/case.entity';
import { Confirmation } from '../src/case-core/confirmation.entity';
import { JobName } from '../src/queue/queue-names';
import { OutboxDispatcher } from '../src/reminders/outbox-dispatcher';
import { ReminderDeliveryService } from '../src/reminders/reminder-delivery.service';
import { RemindersService } from '../src/reminders/reminders.service';
import { createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import {
  jumpTo,
  notificationsOf,
  RecordingSender,
  reminderOverrides,
  remindersOf,
  remindersQueue,
  reminderStatus,
  sleep,
  waitEnqueued,
  waitFor,
} from './utils/reminders';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(30_000);

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('reminders (e2e)', () => {
  const sender = new RecordingSender();
  let t: TestApp;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;

  const api = (u: TestUser) => ({
    post: async (path: string, body: object = {}, expected = 201) => {
      const res = await t.http.post(`/api/v1${path}`).set(bearer(u)).send(body);
      if (res.status !== expected) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    patch: async (path: string, body: object) => {
      const res = await t.http.patch(`/api/v1${path}`).set(bearer(u)).send(body);
      if (res.status !== 200) throw new Error(`PATCH ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    get: async (path: string) => {
      const res = await t.http.get(`/api/v1${path}`).set(bearer(u));
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  });

  /** A walk-in case received now (by the clock), assigned to `mediator` by the union staff. */
  async function assignedCase(mediator: TestUser = team.mediator) {
    const c = await createCase(t, team.staff, team.ws.id, { receivedAt: iso(t.clock.now()) });
    await api(team.staff).post(`/cases/${c.id}/assign`, { mediatorId: mediator.id }, 200);
    return c;
  }

  const delivered = (caseId: string, kind: string, count = 1) =>
    waitFor(`${count} × ${kind}`, async () => {
      const rows = await notificationsOf(t, caseId, kind);
      return rows.length >= count && rows;
    });

  beforeAll(async () => {
    t = await createTestApp({ overrides: reminderOverrides(sender) });
    team = await makeWorkstationTeam(t);
  });
  afterAll(() => t.close());

  it('warns the mediator of the day at 09:00 three days before the last day of the mediation period, not earlier', async () => {
    t.clock.set(at('2030-03-10T10:00:00+08:00'));
    const c = await assignedCase(team.mediator);
    expect(c.deadlineAt).toBe('2030-03-25T16:00:00.000Z'); // 15 days: ends 2030-03-25 24:00 Shanghai
    // Reassigned after the reminder was planned: the recipient is resolved at delivery.
    await api(team.staff).post(`/cases/${c.id}/assign`, { mediatorId: team.mediator2.id }, 200);
    const rows = await waitEnqueued(t, c.id);
    expect(rows.map((r) => [r.kind, iso(r.fire_at), iso(r.due_at), r.status])).toEqual([
      ['mediation_deadline', '2030-03-22T01:00:00.000Z', '2030-03-25T16:00:00.000Z', 'enqueued'], // 09:00 Shanghai on 03-22
      ['mediation_overdue', '2030-03-25T16:00:00.000Z', '2030-03-25T16:00:00.000Z', 'enqueued'],
    ]);

    await jumpTo(t, at('2030-03-22T00:59:57.000Z')); // three seconds early
    await sleep(300);
    expect(await notificationsOf(t, c.id, 'mediation_deadline')).toHaveLength(0);

    const [n] = await delivered(c.id, 'mediation_deadline');
    expect(n.user_id).toBe(team.mediator2.id);
    expect(n.created_at.getTime()).toBeGreaterThanOrEqual(at('2030-03-22T01:00:00.000Z').getTime() - 1000);
    expect(n.message).toContain(c.caseNumber);
    expect(n.message).toContain('2030-03-25 24:00');
    expect(await notificationsOf(t, c.id, 'mediation_deadline')).toHaveLength(1);
    expect(await reminderStatus(t, rows[0].id)).toBe('delivered');

    const list = await api(team.mediator2).get('/notifications?unread=true');
    expect(list.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'mediation_deadline', caseId: c.id, caseNumber: c.caseNumber, dueAt: '2030-03-25T16:00:00.000Z', readAt: null }),
      ]),
    );
    // The reminder also went to the pluggable sender.
    await waitFor('sender got it', async () => sender.sent.some((s) => s.id === n.id));
  });

  it('flags an open case overdue at expiry and tells the union staff of its workstation; a concluded case is left alone', async () => {
    const other = await makeWorkstationTeam(t);
    t.clock.set(at('2030-04-01T10:00:00+08:00'));
    const open = await assignedCase();
    const withdrawn = await assignedCase();
    await api(team.mediator).post(`/cases/${withdrawn.id}/withdrawal`, { reason: '申请人撤回调解申请' }, 200);
    expect((await remindersOf(t, withdrawn.id)).map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    await waitEnqueued(t, open.id);
    const before = await api(team.staff).get(`/cases/${open.id}`);
    expect(before.overdue).toBe(false);

    await jumpTo(t, at('2030-04-16T16:00:00.200Z')); // just after 2030-04-16 24:00 Shanghai
    const notes = await delivered(open.id, 'mediation_overdue');
    expect(notes.map((n) => n.user_id)).toEqual([team.staff.id]);
    expect(notes[0].message).toContain('超期');

    const after = await api(team.staff).get(`/cases/${open.id}`);
    expect(after.overdue).toBe(true);
    expect(after.version).toBe(before.version + 1);
    const events = await api(team.staff).get(`/cases/${open.id}/events`);
    const flagged = events.filter((e: { type: string }) => e.type === 'flagged_overdue');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({ actorId: null, before: { overdue: false }, after: { overdue: true } });
    const overdueList = await api(team.staff).get(`/cases?overdue=true`);
    expect(overdueList.items.map((c: { id: string }) => c.id)).toContain(open.id);

    // The other workstation's staff heard nothing; the withdrawn case was never flagged.
    expect(await t.db.query(`SELECT 1 FROM notifications WHERE user_id = $1 AND case_id = ANY($2)`, [other.staff.id, [open.id, withdrawn.id]])).toHaveLength(0);
    await sleep(300);
    expect(await notificationsOf(t, withdrawn.id, 'mediation_overdue')).toHaveLength(0);
    expect((await t.db.query(`SELECT overdue FROM cases WHERE id = $1`, [withdrawn.id]))[0].overdue).toBe(false);
  });

  it('flags a case at once when it is taken in after its period already ran out (no stale warning)', async () => {
    t.clock.set(at('2031-02-20T10:00:00+08:00'));
    const c = await createCase(t, team.staff, team.ws.id, { receivedAt: '2031-02-01T09:00:00+08:00' });
    expect(c.deadlineAt).toBe('2031-02-16T16:00:00.000Z');
    const rows = await remindersOf(t, c.id);
    expect(rows.map((r) => [r.kind, iso(r.fire_at)])).toEqual([['mediation_overdue', '2031-02-16T16:00:00.000Z']]);
    const [n] = await delivered(c.id, 'mediation_overdue');
    expect(n.user_id).toBe(team.staff.id);
    expect((await api(team.staff).get(`/cases/${c.id}`)).overdue).toBe(true);
  });

  it('moves the mediation reminders with an agreed extension', async () => {
    t.clock.set(at('2031-01-05T10:00:00+08:00'));
    const c = await assignedCase();
    expect(c.deadlineAt).toBe('2031-01-20T16:00:00.000Z');
    await waitEnqueued(t, c.id);
    const extended = await api(team.mediator).post(`/cases/${c.id}/extension`, { days: 10, reason: '双方同意延长调解期限', agreedBy: ['applicant', 'respondent'] }, 200);
    expect(extended.deadlineAt).toBe('2031-01-30T16:00:00.000Z');
    const rows = await waitEnqueued(t, c.id);
    expect(rows.map((r) => [r.kind, iso(r.fire_at), r.status])).toEqual([
      ['mediation_deadline', '2031-01-17T01:00:00.000Z', 'cancelled'],
      ['mediation_overdue', '2031-01-20T16:00:00.000Z', 'cancelled'],
      ['mediation_deadline', '2031-01-27T01:00:00.000Z', 'enqueued'],
      ['mediation_overdue', '2031-01-30T16:00:00.000Z', 'enqueued'],
    ]);
    // The old expiry passes quietly; the new one flags the case.
    await jumpTo(t, at('2031-01-20T16:00:00.200Z'));
    await sleep(500);
    expect(await notificationsOf(t, c.id, 'mediation_overdue')).toHaveLength(0);
    expect((await api(team.staff).get(`/cases/${c.id}`)).overdue).toBe(false);
    await jumpTo(t, at('2031-01-30T16:00:00.200Z'));
    await delivered(c.id, 'mediation_overdue');
    expect((await api(team.staff).get(`/cases/${c.id}`)).overdue).toBe(true);
  });

  it('reminds of a session 24 h and 1 h before, moves the reminders with the session and cancels them with it', async () => {
    t.clock.set(at('2030-05-04T10:00:00+08:00'));
    const c = await assignedCase();
    const session = await api(team.mediator).post(`/cases/${c.id}/sessions`, { scheduledAt: '2030-05-06T14:30:00+08:00', mode: 'onsite', location: '总工会三楼调解室' });
    // Booked for three hours from now: there is no 24-hour reminder, only the 1-hour one.
    const soon = await api(team.mediator).post(`/cases/${c.id}/sessions`, { scheduledAt: '2030-05-04T13:00:00+08:00', mode: 'phone' });
    const sessionRows = async (sessionId: string) => (await remindersOf(t, c.id)).filter((r) => r.subject_id === sessionId).map((r) => [r.kind, iso(r.fire_at), r.status]);
    await waitEnqueued(t, c.id);
    expect(await sessionRows(session.id)).toEqual([
      ['session_24h', '2030-05-05T06:30:00.000Z', 'enqueued'],
      ['session_1h', '2030-05-06T05:30:00.000Z', 'enqueued'],
    ]);
    expect(await sessionRows(soon.id)).toEqual([['session_1h', '2030-05-04T04:00:00.000Z', 'enqueued']]);
    // The phone session is called off: its reminder is cancelled, and its job delivers nothing.
    await api(team.mediator).patch(`/sessions/${soon.id}`, { status: 'cancelled' });
    expect(await sessionRows(soon.id)).toEqual([['session_1h', '2030-05-04T04:00:00.000Z', 'cancelled']]);

    await jumpTo(t, at('2030-05-05T06:30:00.100Z'));
    const [first] = await delivered(c.id, 'session_24h');
    expect(first.user_id).toBe(team.mediator.id);
    expect(first.message).toContain('2030-05-06 14:30');
    expect(first.message).toContain('总工会三楼调解室');

    // Move the session a day later.
    await api(team.mediator).patch(`/sessions/${session.id}`, { scheduledAt: '2030-05-07T09:00:00+08:00' });
    const rows = await sessionRows(session.id);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['session_24h', '2030-05-05T06:30:00.000Z', 'delivered'],
        ['session_1h', '2030-05-06T05:30:00.000Z', 'cancelled'],
        ['session_24h', '2030-05-06T01:00:00.000Z', expect.stringMatching(/pending|enqueued/)],
        ['session_1h', '2030-05-07T00:00:00.000Z', expect.stringMatching(/pending|enqueued/)],
      ]),
    );
    expect(rows).toHaveLength(4);
    await waitEnqueued(t, c.id);

    await jumpTo(t, at('2030-05-07T00:00:00.100Z'));
    const hour = await delivered(c.id, 'session_1h');
    await delivered(c.id, 'session_24h', 2);
    await sleep(300);
    expect(hour).toHaveLength(1);
    expect(iso(hour[0].due_at!)).toBe('2030-05-07T01:00:00.000Z');
    expect((await notificationsOf(t, c.id, 'session_24h')).map((n) => iso(n.due_at!))).toEqual(['2030-05-06T06:30:00.000Z', '2030-05-07T01:00:00.000Z']);
    expect(await notificationsOf(t, c.id, 'session_1h')).toHaveLength(1);
    expect(await sessionRows(soon.id)).toEqual([['session_1h', '2030-05-04T04:00:00.000Z', 'cancelled']]);
  });

  // DESIGN.md: the court accepts (受理) within 3 days (clerk reminded on day 2), then rules within 15 days of acceptance
  // (clerk reminded on day 10, overdue at the end); court periods end on a working day.
  it('reminds to apply for judicial confirmation on day 20, stops once applied, reminds the clerks to accept on day 2, then to rule on day 10 after acceptance and flags the ruling late at day 15', async () => {
    t.clock.set(at('2030-06-01T10:00:00+08:00'));
    const c = await assignedCase();
    await api(team.mediator).post(`/cases/${c.id}/agreement`, { terms: '一次性支付拖欠工资', agreedAmount: '8000.00', signedAt: iso(t.clock.now()), installments: [] });
    const rows = await waitEnqueued(t, c.id);
    // Agreement: mediation reminders cancelled, application reminders on days 20 and 27.
    expect(rows.map((r) => [r.kind, r.subject_seq, iso(r.fire_at), r.status])).toEqual([
      ['confirmation_application', 20, '2030-06-21T01:00:00.000Z', 'enqueued'],
      ['confirmation_application', 27, '2030-06-28T01:00:00.000Z', 'enqueued'],
      ['mediation_deadline', null, '2030-06-13T01:00:00.000Z', 'cancelled'],
      ['mediation_overdue', null, '2030-06-16T16:00:00.000Z', 'cancelled'],
    ].sort((a, b) => String(a[2]).localeCompare(String(b[2]))));

    await jumpTo(t, at('2030-06-21T01:00:00.100Z'));
    const [day20] = await delivered(c.id, 'confirmation_application');
    expect(day20.user_id).toBe(team.mediator.id);
    expect(day20.message).toContain('满 20 日');
    expect(iso(day20.due_at!)).toBe('2030-07-01T16:00:00.000Z');

    // Saturday 22 June 2030: the 3-day acceptance period ends on Tuesday 25 June.
    t.clock.set(at('2030-06-22T10:00:00+08:00'));
    await api(team.mediator).post(`/cases/${c.id}/confirmation-request`, {});
    const requested = await notificationsOf(t, c.id, 'confirmation_requested');
    expect(requested.map((n) => n.user_id)).toEqual([team.clerk.id]); // the clerks, not the mediator who asked
    const after = await waitEnqueued(t, c.id);
    expect(after.filter((r) => r.kind === 'confirmation_application').map((r) => r.status)).toEqual(['delivered', 'cancelled']);
    expect(after.filter((r) => r.kind === 'acceptance_due').map((r) => [iso(r.fire_at), iso(r.due_at!)])).toEqual([['2030-06-24T01:00:00.000Z', '2030-06-25T16:00:00.000Z']]);
    expect(after.filter((r) => r.kind.startsWith('ruling'))).toEqual([]);

    await jumpTo(t, at('2030-06-24T01:00:00.100Z'));
    const acceptance = await delivered(c.id, 'acceptance_due');
    expect(acceptance.map((n) => n.user_id)).toEqual([team.clerk.id]);
    expect(acceptance[0].message).toContain('2030-06-25 24:00');

    // Accepted on Monday 24 June: the ruling is due by 24:00 on Tuesday 9 July; the clerk is reminded on 4 July.
    t.clock.set(at('2030-06-24T10:00:00+08:00'));
    const confirmationId = (await api(team.clerk).get(`/cases/${c.id}`)).confirmation.id;
    await api(team.clerk).post(`/confirmations/${confirmationId}/acceptance`, { decision: 'accepted', acceptanceNumber: '(2030)测民特调确1号' }, 200);
    const accepted = await waitEnqueued(t, c.id);
    expect(accepted.filter((r) => r.kind.startsWith('ruling')).map((r) => [r.kind, iso(r.fire_at)])).toEqual([
      ['ruling_due', '2030-07-04T01:00:00.000Z'],
      ['ruling_overdue', '2030-07-09T16:00:00.000Z'],
    ]);

    await jumpTo(t, at('2030-07-04T01:00:00.100Z'));
    const due = await delivered(c.id, 'ruling_due');
    expect(due.map((n) => n.user_id)).toEqual([team.clerk.id]);
    await jumpTo(t, at('2030-07-09T16:00:00.100Z'));
    const late = await delivered(c.id, 'ruling_overdue', 2);
    expect(late.map((n) => n.user_id).sort()).toEqual([team.clerk.id, team.staff.id].sort());
    expect(await notificationsOf(t, c.id, 'confirmation_application')).toHaveLength(1); // day 27 never came

    await api(team.clerk).post(`/confirmations/${confirmationId}/ruling`, { decision: 'confirmed', rulingNumber: '(2030)测民特1号' }, 200);
    const ruled = await notificationsOf(t, c.id, 'confirmation_ruled');
    expect(ruled.map((n) => n.user_id)).toEqual([team.mediator.id]);
    expect(ruled[0].message).toContain('(2030)测民特1号');
  });

  it('cancels the ruling reminders when the court rules in time', async () => {
    t.clock.set(at('2030-07-10T10:00:00+08:00'));
    const c = await assignedCase();
    await api(team.mediator).post(`/cases/${c.id}/agreement`, { terms: '一次性支付', agreedAmount: '1000.00', signedAt: iso(t.clock.now()), installments: [] });
    await api(team.mediator).post(`/cases/${c.id}/confirmation-request`, {});
    const confirmationId = (await api(team.clerk).get(`/cases/${c.id}`)).confirmation.id;
    await api(team.clerk).post(`/confirmations/${confirmationId}/acceptance`, { decision: 'accepted', acceptanceNumber: '(2030)测民特调确2号' }, 200);
    await api(team.clerk).post(`/confirmations/${confirmationId}/ruling`, { decision: 'rejected', rulingNumber: '(2030)测民特2号', reason: '协议内容违反法律规定' }, 200);
    const rows = await remindersOf(t, c.id);
    expect(rows.filter((r) => r.kind.startsWith('ruling') || r.kind === 'acceptance_due').map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect((await notificationsOf(t, c.id, 'confirmation_ruled'))[0].message).toContain('驳回');
  });

  it('reminds of each installment 3 days ahead and flags the agreement in breach the day after an unpaid due date', async () => {
    t.clock.set(at('2030-08-01T10:00:00+08:00'));
    const c = await assignedCase();
    const detail = await api(team.mediator).post(`/cases/${c.id}/agreement`, {
      terms: '分两期支付',
      agreedAmount: '9000.00',
      signedAt: iso(t.clock.now()),
      installments: [
        { dueDate: '2030-08-10', amount: '4000.00' },
        { dueDate: '2030-08-20', amount: '5000.00' },
      ],
    });
    const agreementId = detail.agreement.id;
    const rows = await waitEnqueued(t, c.id);
    expect(rows.filter((r) => r.kind.startsWith('installment')).map((r) => [r.kind, r.subject_seq, iso(r.fire_at)])).toEqual([
      ['installment_due', 1, '2030-08-07T01:00:00.000Z'],
      ['installment_breach', 1, '2030-08-11T01:00:00.000Z'],
      ['installment_due', 2, '2030-08-17T01:00:00.000Z'],
      ['installment_breach', 2, '2030-08-21T01:00:00.000Z'],
    ]);

    await jumpTo(t, at('2030-08-07T01:00:00.100Z'));
    const [first] = await delivered(c.id, 'installment_due');
    expect(first.user_id).toBe(team.mediator.id);
    expect(first.message).toContain('第 1 期');

    t.clock.set(at('2030-08-09T15:00:00+08:00'));
    await api(team.mediator).post(`/agreements/${agreementId}/installments/1/payment`, { paidAt: '2030-08-09T15:00:00+08:00' }, 200);
    expect((await remindersOf(t, c.id)).find((r) => r.kind === 'installment_breach' && r.subject_seq === 1)!.status).toBe('cancelled');
    const versionBefore = (await api(team.mediator).get(`/cases/${c.id}`)).version;

    await jumpTo(t, at('2030-08-17T01:00:00.100Z'));
    await delivered(c.id, 'installment_due', 2);
    await jumpTo(t, at('2030-08-21T01:00:00.100Z'));
    const [breach] = await delivered(c.id, 'installment_breach');
    expect(breach.user_id).toBe(team.mediator.id);
    expect(breach.message).toContain('第 2 期');
    expect(breach.message).toContain('第十六条');
    expect(breach.message).toContain('支付令');

    const after = await api(team.mediator).get(`/cases/${c.id}`);
    expect(after.agreement.inBreach).toBe(true);
    expect(new Date(after.agreement.breachedAt).getTime()).toBeGreaterThanOrEqual(at('2030-08-21T01:00:00Z').getTime() - 1000);
    expect(after.version).toBe(versionBefore + 1);
    const events = await api(team.mediator).get(`/cases/${c.id}/events`);
    expect(events.filter((e: { type: string }) => e.type === 'agreement_in_breach')).toEqual([
      expect.objectContaining({ actorId: null, before: { inBreach: false }, after: expect.objectContaining({ inBreach: true, installment: 2, dueDate: '2030-08-20' }) }),
    ]);
    await sleep(300);
    expect(await notificationsOf(t, c.id, 'installment_breach')).toHaveLength(1); // the paid one never fired
  });

  it('advises the remedy that fits on breach: enforcement for a confirmed agreement, arbitration (art. 15) for an unconfirmed social-insurance one', async () => {
    t.clock.set(at('2030-09-02T10:00:00+08:00'));
    const socialInsurance = async () => {
      const c = await createCase(t, team.staff, team.ws.id, { receivedAt: iso(t.clock.now()), disputeType: 'social_insurance' });
      await api(team.staff).post(`/cases/${c.id}/assign`, { mediatorId: team.mediator.id }, 200);
      await api(team.mediator).post(`/cases/${c.id}/agreement`, { terms: '补缴社会保险', agreedAmount: '3000.00', signedAt: iso(t.clock.now()), installments: [{ dueDate: '2030-09-20', amount: '3000.00' }] });
      return c;
    };
    const confirmed = await socialInsurance();
    const unconfirmed = await socialInsurance();
    await api(team.mediator).post(`/cases/${confirmed.id}/confirmation-request`, {});
    const confirmationId = (await api(team.clerk).get(`/cases/${confirmed.id}`)).confirmation.id;
    await api(team.clerk).post(`/confirmations/${confirmationId}/acceptance`, { decision: 'accepted', acceptanceNumber: '(2030)测民特调确9号' }, 200);
    await api(team.clerk).post(`/confirmations/${confirmationId}/ruling`, { decision: 'confirmed', rulingNumber: '(2030)测民特9号' }, 200);

    await jumpTo(t, at('2030-09-21T01:00:00.100Z'));
    const [enforce] = await delivered(confirmed.id, 'installment_breach');
    expect(enforce.message).toContain('强制执行');
    expect(enforce.message).not.toContain('支付令');
    const [arbitrate] = await delivered(unconfirmed.id, 'installment_breach');
    expect(arbitrate.message).toContain('第十五条');
    expect(arbitrate.message).not.toContain('支付令');
  });

  it('re-checks the condition at delivery: a reminder whose condition no longer holds delivers nothing', async () => {
    t.clock.set(at('2030-09-01T10:00:00+08:00'));
    const c = await assignedCase();
    const detail = await api(team.mediator).post(`/cases/${c.id}/agreement`, {
      terms: '一期支付',
      agreedAmount: '3000.00',
      signedAt: iso(t.clock.now()),
      installments: [{ dueDate: '2030-09-10', amount: '3000.00' }],
    });
    await waitEnqueued(t, c.id);
    // Paid behind the reminders' back (no hook ran): the rows are still active.
    await t.db.query(`UPDATE installments SET paid_at = $2 WHERE agreement_id = $1`, [detail.agreement.id, at('2030-09-05T10:00:00+08:00')]);
    await jumpTo(t, at('2030-09-11T01:00:00.100Z'));
    const rows = await waitFor('installment reminders skipped', async () => {
      const all = (await remindersOf(t, c.id)).filter((r) => r.kind.startsWith('installment'));
      return all.every((r) => r.status === 'skipped') && all;
    });
    // The breach check finds it paid; the 3-day warning, run only after the due date, is stale.
    expect(rows.map((r) => [r.kind, r.skip_reason])).toEqual([
      ['installment_due', 'deadline already passed'],
      ['installment_breach', 'installment paid'],
    ]);
    expect(await notificationsOf(t, c.id, 'installment_breach')).toHaveLength(0);
    expect((await t.db.query(`SELECT in_breach FROM agreements WHERE id = $1`, [detail.agreement.id]))[0].in_breach).toBe(false);
  });

  it('delivers a duplicated or concurrently retried reminder once: one flag, one event, one notification per recipient', async () => {
    t.clock.set(at('2030-10-01T10:00:00+08:00'));
    const c = await assignedCase();
    const rows = await waitEnqueued(t, c.id);
    const overdue = rows.find((r) => r.kind === 'mediation_overdue')!;
    const version = (await api(team.staff).get(`/cases/${c.id}`)).version;
    t.clock.set(new Date(overdue.fire_at.getTime() + 100));
    const delivery = t.app.get(ReminderDeliveryService);
    const queue = remindersQueue(t);
    await queue.add(JobName.DeliverReminder, { reminderId: overdue.id }, { jobId: `${overdue.id}-duplicate` });
    const outcomes = await Promise.all([...Array.from({ length: 5 }, () => delivery.deliver(overdue.id)), (await queue.getJob(overdue.id))!.promote()]);
    expect(outcomes.filter((o) => o && (o as { outcome: string }).outcome === 'delivered')).toHaveLength(1);
    await waitFor('duplicate job done', async () => !(await queue.getJob(`${overdue.id}-duplicate`)));
    await waitFor('original job done', async () => !(await queue.getJob(overdue.id)));

    const notes = await notificationsOf(t, c.id, 'mediation_overdue');
    expect(notes.map((n) => n.user_id)).toEqual([team.staff.id]);
    const events = await t.db.query(`SELECT type FROM case_events WHERE case_id = $1 AND type = 'flagged_overdue'`, [c.id]);
    expect(events).toHaveLength(1);
    expect((await api(team.staff).get(`/cases/${c.id}`)).version).toBe(version + 1);
    await waitFor('sent once', async () => sender.sent.some((s) => s.id === notes[0].id));
    expect(sender.sent.filter((s) => s.id === notes[0].id)).toHaveLength(1);
  });

  it('delivers a reminder without an effect that several batches take at once once: the others find it done', async () => {
    t.clock.set(at('2031-02-01T10:00:00+08:00'));
    const c = await assignedCase();
    const warning = (await waitEnqueued(t, c.id)).find((r) => r.kind === 'mediation_deadline')!;
    t.clock.set(new Date(warning.fire_at.getTime() + 100));
    const delivery = t.app.get(ReminderDeliveryService);
    // Each deliverBatch is its own transaction: their cases are only share-locked, their rows claimed by the status update.
    const results = await Promise.all(Array.from({ length: 4 }, () => delivery.deliverBatch([warning.id])));
    const outcomes = results.map((r) => (r.get(warning.id) as { outcome: string }).outcome);
    expect(outcomes.sort()).toEqual(['already-done', 'already-done', 'already-done', 'delivered']);
    expect((await notificationsOf(t, c.id, 'mediation_deadline')).map((n) => n.user_id)).toEqual([team.mediator.id]);
    expect(await reminderStatus(t, warning.id)).toBe('delivered');
  });

  it('delivers reminders asked for at the same time together, each once; a sender failure fails only its own reminder', async () => {
    t.clock.set(at('2030-12-01T10:00:00+08:00'));
    const cases = [];
    for (let i = 0; i < 6; i++) cases.push(await assignedCase());
    const overdue = [];
    for (const c of cases) overdue.push((await waitEnqueued(t, c.id)).find((r) => r.kind === 'mediation_overdue')!);
    t.clock.set(new Date(overdue[0].fire_at.getTime() + 100));
    const delivery = t.app.get(ReminderDeliveryService);
    const sentBefore = sender.sent.length;
    sender.failNext('mediation_overdue');

    const outcomes = await Promise.allSettled(overdue.map((r) => delivery.deliver(r.id)));
    const failedAt = outcomes.findIndex((o) => o.status === 'rejected');
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect(((outcomes[failedAt] as PromiseRejectedResult).reason as Error).message).toBe('SMS gateway unavailable');
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<unknown>).value)).toEqual(
      Array(5).fill({ outcome: 'delivered', notified: 1 }),
    );
    // Every row is delivered, the failed one too: its notification is written, only the channel is left to retry.
    for (const r of overdue) expect(await reminderStatus(t, r.id)).toBe('delivered');
    expect(sender.sent.length - sentBefore).toBe(5);
    // The notifications were written claimed for the sender in the delivery's transaction (sent_at is
    // the delivery's time); the one the sender refused was released for the retry.
    const overdueIds: string[] = overdue.map((r) => r.id);
    const claims = async (): Promise<Array<{ id: string; sent_at: Date | null; delivered_at: Date }>> =>
      t.db.query(`SELECT r.id, n.sent_at, r.delivered_at FROM reminders r JOIN notifications n ON n.reminder_id = r.id WHERE r.id = ANY($1::uuid[]) ORDER BY r.id`, [overdueIds]);
    const before = await claims();
    expect(before).toHaveLength(6);
    expect(before.filter((r) => r.sent_at === null).map((r) => r.id)).toEqual([overdue[failedAt].id]);
    for (const r of before.filter((x) => x.sent_at !== null)) expect(r.sent_at).toEqual(r.delivered_at);
    expect(await delivery.deliver(overdue[failedAt].id)).toEqual({ outcome: 'already-done', status: 'delivered' });
    expect((await claims()).filter((r) => r.sent_at === null)).toEqual([]);

    for (const c of cases) {
      const notes = await notificationsOf(t, c.id, 'mediation_overdue');
      expect(notes.map((n) => n.user_id)).toEqual([team.staff.id]);
      expect(sender.sent.filter((s) => s.id === notes[0].id)).toHaveLength(1);
      expect(await t.db.query(`SELECT 1 FROM case_events WHERE case_id = $1 AND type = 'flagged_overdue'`, [c.id])).toHaveLength(1);
      expect((await api(team.staff).get(`/cases/${c.id}`)).overdue).toBe(true);
    }
  });

  it('retries the sender when it fails, without a second notification', async () => {
    t.clock.set(at('2030-11-01T10:00:00+08:00'));
    const c = await assignedCase();
    const rows = await waitEnqueued(t, c.id);
    const warning = rows.find((r) => r.kind === 'mediation_deadline')!;
    sender.failNext('mediation_deadline');
    await jumpTo(t, new Date(warning.fire_at.getTime() + 100));
    const [n] = await delivered(c.id, 'mediation_deadline');
    // First attempt: notification written, sender failed; the retry (2 s backoff) only sends.
    await waitFor('sent after retry', async () => sender.sent.some((s) => s.id === n.id), 20000);
    expect(sender.failuresLeft).toBe(0);
    expect(await notificationsOf(t, c.id, 'mediation_deadline')).toHaveLength(1);
    expect(sender.sent.filter((s) => s.id === n.id)).toHaveLength(1);
  });

  it('tells a newly assigned mediator at once, and never the user who made the change', async () => {
    t.clock.set(at('2030-12-01T10:00:00+08:00'));
    const c = await assignedCase(team.mediator);
    await api(team.staff).post(`/cases/${c.id}/assign`, { mediatorId: team.mediator2.id }, 200);
    const assigned = await notificationsOf(t, c.id, 'case_assigned');
    expect(assigned.map((n) => n.user_id)).toEqual([team.mediator.id, team.mediator2.id]);
    expect(assigned[1].message).toContain(c.caseNumber);
    await waitFor('immediate notifications sent', async () => assigned.every((n) => sender.sent.some((s) => s.id === n.id)));
    // One written two days ago (an import) stays in the app and never goes out as a late SMS.
    const [old] = await t.db.query(`INSERT INTO notifications (user_id, kind, case_id, message, created_at) VALUES ($1, 'case_assigned', $2, '旧通知', $3) RETURNING id`, [
      team.mediator.id,
      c.id,
      new Date(t.clock.now().getTime() - 2 * 24 * 3600_000),
    ]);
    await sleep(500);
    expect(sender.sent.some((s) => s.id === old.id)).toBe(false);

    // A second clerk of the workstation asks (through the hook): the other clerk is told, not the actor.
    const clerk2 = await makeUser(t, Role.CourtClerk, team.ws.id);
    const reminders = t.app.get(RemindersService);
    await t.app.get(DataSource).transaction(async (em) => {
      const kase = await em.findOneByOrFail(Case, { id: c.id });
      const conf = em.create(Confirmation, { id: '00000000-0000-4000-8000-000000000001', caseId: c.id, workstationId: team.ws.id, status: 'pending', appliedAt: t.clock.now() });
      await reminders.confirmationRequested(em, kase, conf, clerk2.id);
    });
    expect((await notificationsOf(t, c.id, 'confirmation_requested')).map((n) => n.user_id)).toEqual([team.clerk.id]);
  });
});

describe('reminder job groups (e2e)', () => {
  it('puts reminders due at one moment on the queue as one job, delivers each once, and retries only the reminder whose sending failed', async () => {
    const sender = new RecordingSender();
    // A poll slow enough that the test decides when the outbox is swept: every row below goes in one sweep.
    const t = await createTestApp({ overrides: reminderOverrides(sender, 3_600_000) });
    try {
      const team = await makeWorkstationTeam(t);
      t.clock.set(at('2031-01-06T10:00:00+08:00'));
      const cases = [];
      for (let i = 0; i < 4; i++) {
        const c = await createCase(t, team.staff, team.ws.id, { receivedAt: iso(t.clock.now()) });
        const res = await t.http.post(`/api/v1/cases/${c.id}/assign`).set(bearer(team.staff)).send({ mediatorId: team.mediator.id });
        expect(res.status).toBe(200);
        cases.push(c);
      }
      await t.app.get(OutboxDispatcher).tick();

      const rows: Array<{ id: string; kind: string; job_id: string; status: string; fire_at: Date }> = await t.db.query(
        `SELECT id, kind, job_id, status, fire_at FROM reminders WHERE case_id = ANY($1) ORDER BY kind, id`,
        [cases.map((c) => c.id)],
      );
      expect(rows).toHaveLength(8);
      expect(rows.every((r) => r.status === 'enqueued')).toBe(true);
      const overdue = rows.filter((r) => r.kind === 'mediation_overdue');
      const warning = rows.filter((r) => r.kind === 'mediation_deadline');
      // One job per kind: the four cases' deadlines fall at the same moment; named after the group's first row.
      expect(new Set(overdue.map((r) => r.job_id))).toEqual(new Set([overdue[0].id]));
      expect(new Set(warning.map((r) => r.job_id))).toEqual(new Set([warning[0].id]));
      const queue = remindersQueue(t);
      expect(await queue.getDelayedCount()).toBe(2);
      const job = await queue.getJob(overdue[0].id);
      expect(job?.name).toBe(JobName.DeliverReminders);
      expect(job?.data).toEqual({ groupId: overdue[0].id });

      sender.failNext('mediation_overdue');
      await jumpTo(t, new Date(overdue[0].fire_at.getTime() + 100));
      const notes = await waitFor('four overdue notifications sent', async () => {
        const all: Array<{ id: string }> = await t.db.query(
          `SELECT n.id FROM notifications n JOIN reminders r ON r.id = n.reminder_id WHERE r.id = ANY($1)`,
          [overdue.map((r) => r.id)],
        );
        return all.length === 4 && all.every((n) => sender.sent.some((s) => s.id === n.id)) && all;
      }, 20_000);
      // The failed send was retried (its job's second attempt), and nothing went twice.
      expect(sender.failuresLeft).toBe(0);
      for (const n of notes) expect(sender.sent.filter((s) => s.id === n.id)).toHaveLength(1);
      for (const r of overdue) expect(await reminderStatus(t, r.id)).toBe('delivered');
      for (const r of warning) expect(await reminderStatus(t, r.id)).toBe('skipped');
      const flagged = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = ANY($1) AND type = 'flagged_overdue'`, [cases.map((c) => c.id)]);
      expect(flagged[0].n).toBe(4);
    } finally {
      await t.close();
    }
  });
});
