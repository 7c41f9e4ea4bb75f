import { ReminderKind } from './reminder-kinds';
import { formatDeadline, messages } from './reminder-messages';
import { planKey } from './reminder-plans';
import { acceptancePlans, confirmationApplicationPlans, installmentPlans, mediationPlans, plansToWrite, rulingPlans, sessionPlans } from './reminder-registry';

const at = (iso: string) => new Date(iso);
const fire = (plans: { kind: string; subjectSeq: number | null; fireAt: Date; dueAt: Date }[]) =>
  plans.map((p) => ({ kind: p.kind, seq: p.subjectSeq, fireAt: p.fireAt.toISOString(), dueAt: p.dueAt.toISOString() }));

describe('reminder plans (Asia/Shanghai, day reminders at 09:00)', () => {
  it('warns the mediator at 09:00 three days before the last day of the mediation period, and checks overdue at expiry', () => {
    // Period ends 2030-03-25 24:00 Shanghai = 2030-03-25T16:00Z.
    const deadline = at('2030-03-25T16:00:00.000Z');
    expect(fire(mediationPlans(deadline))).toEqual([
      { kind: ReminderKind.MediationDeadline, seq: null, fireAt: '2030-03-22T01:00:00.000Z', dueAt: '2030-03-25T16:00:00.000Z' },
      { kind: ReminderKind.MediationOverdue, seq: null, fireAt: '2030-03-25T16:00:00.000Z', dueAt: '2030-03-25T16:00:00.000Z' },
    ]);
    // A deadline the court set at 17:00 on 2030-03-25: the last day is still the 25th.
    expect(mediationPlans(at('2030-03-25T09:00:00.000Z'))[0].fireAt.toISOString()).toBe('2030-03-22T01:00:00.000Z');
  });

  it('reminds of a session 24 h and 1 h before', () => {
    expect(fire(sessionPlans('s1', at('2030-03-12T02:30:00.000Z')))).toEqual([
      { kind: ReminderKind.SessionDayBefore, seq: null, fireAt: '2030-03-11T02:30:00.000Z', dueAt: '2030-03-12T02:30:00.000Z' },
      { kind: ReminderKind.SessionHourBefore, seq: null, fireAt: '2030-03-12T01:30:00.000Z', dueAt: '2030-03-12T02:30:00.000Z' },
    ]);
  });

  it('reminds to apply for judicial confirmation on days 20 and 27 of the 30-day window, counted in Shanghai days', () => {
    // Takes effect 2030-04-01 07:30 Shanghai (2030-03-31T23:30Z): day 20 is 2030-04-21.
    expect(fire(confirmationApplicationPlans('a1', at('2030-03-31T23:30:00.000Z')))).toEqual([
      { kind: ReminderKind.ConfirmationApplication, seq: 20, fireAt: '2030-04-21T01:00:00.000Z', dueAt: '2030-05-01T16:00:00.000Z' },
      { kind: ReminderKind.ConfirmationApplication, seq: 27, fireAt: '2030-04-28T01:00:00.000Z', dueAt: '2030-05-01T16:00:00.000Z' },
    ]);
  });

  it('reminds the clerks on day 10 of the ruling period and flags it overdue when day 15 ends', () => {
    expect(fire(rulingPlans('f1', at('2030-05-02T03:00:00.000Z')))).toEqual([
      { kind: ReminderKind.RulingDue, seq: null, fireAt: '2030-05-12T01:00:00.000Z', dueAt: '2030-05-17T16:00:00.000Z' },
      { kind: ReminderKind.RulingOverdue, seq: null, fireAt: '2030-05-17T16:00:00.000Z', dueAt: '2030-05-17T16:00:00.000Z' },
    ]);
  });

  it('reminds the clerks on day 2 of the 3-day acceptance period, and counts the ruling period from acceptance', () => {
    expect(fire(acceptancePlans('f1', at('2030-05-02T03:00:00.000Z'), at('2030-05-05T16:00:00.000Z')))).toEqual([
      { kind: ReminderKind.AcceptanceDue, seq: null, fireAt: '2030-05-04T01:00:00.000Z', dueAt: '2030-05-05T16:00:00.000Z' },
    ]);
    // Extended to 25 days: the overdue check moves, day 10 stays.
    expect(fire(rulingPlans('f1', at('2030-05-02T03:00:00.000Z'), at('2030-05-27T16:00:00.000Z')))).toEqual([
      { kind: ReminderKind.RulingDue, seq: null, fireAt: '2030-05-12T01:00:00.000Z', dueAt: '2030-05-27T16:00:00.000Z' },
      { kind: ReminderKind.RulingOverdue, seq: null, fireAt: '2030-05-27T16:00:00.000Z', dueAt: '2030-05-27T16:00:00.000Z' },
    ]);
  });

  it('reminds of an installment 3 days before its due date and checks for breach at 09:00 the day after', () => {
    expect(fire(installmentPlans('a1', 2, '2030-06-30'))).toEqual([
      { kind: ReminderKind.InstallmentDue, seq: 2, fireAt: '2030-06-27T01:00:00.000Z', dueAt: '2030-06-30T16:00:00.000Z' },
      { kind: ReminderKind.InstallmentBreach, seq: 2, fireAt: '2030-07-01T01:00:00.000Z', dueAt: '2030-06-30T16:00:00.000Z' },
    ]);
  });

  it('drops warnings whose time has passed (a session booked for tomorrow has no 24-hour reminder)', () => {
    const now = at('2030-03-11T03:00:00.000Z');
    const plans = sessionPlans('s1', at('2030-03-12T02:30:00.000Z'));
    expect(plansToWrite(plans, now).map((p) => p.kind)).toEqual([ReminderKind.SessionHourBefore]);
    expect(plansToWrite(plans, plans[1].fireAt)).toEqual([]);
  });

  it('keeps an overdue check whose time has passed, so that it runs at once', () => {
    const plans = mediationPlans(at('2030-03-25T16:00:00.000Z'));
    expect(plansToWrite(plans, at('2030-04-01T00:00:00.000Z')).map((p) => [p.kind, p.fireAt.toISOString()])).toEqual([[ReminderKind.MediationOverdue, '2030-03-25T16:00:00.000Z']]);
    expect(plansToWrite(installmentPlans('a1', 1, '2030-01-10'), at('2030-04-01T00:00:00.000Z')).map((p) => p.kind)).toEqual([ReminderKind.InstallmentBreach]);
  });

  it('identifies the same reminder by kind, subject and times', () => {
    const [a] = sessionPlans('s1', at('2030-03-12T02:30:00.000Z'));
    const [b] = sessionPlans('s1', at('2030-03-12T02:30:00.000Z'));
    const [moved] = sessionPlans('s1', at('2030-03-12T03:30:00.000Z'));
    expect(planKey(a)).toBe(planKey(b));
    expect(planKey(a)).not.toBe(planKey(moved));
  });
});

describe('reminder messages', () => {
  it('shows a period ending at midnight as 24:00 of its last day, other deadlines with their time', () => {
    expect(formatDeadline(at('2030-03-25T16:00:00.000Z'))).toBe('2030-03-25 24:00');
    expect(formatDeadline(at('2030-03-25T09:00:00.000Z'))).toBe('2030-03-25 17:00');
  });

  it('tells the mediator of a missed installment of an unconfirmed wage agreement that the worker may apply for a payment order (art. 16)', () => {
    const text = messages.installmentBreach('WS1-2030-000001', 2, '5000.00', '2030-06-30', 'payment_order');
    expect(text).toContain('第 2 期');
    expect(text).toContain('5000.00');
    expect(text).toContain('《劳动争议调解仲裁法》第十六条');
    expect(text).toContain('支付令');
  });
});
