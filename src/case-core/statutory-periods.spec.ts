import {
  ACCEPTANCE_PERIOD_DAYS,
  APPLICATION_WINDOW_DAYS,
  applicationWindowEnd,
  deadlineDateOf,
  EXTENDED_RULING_PERIOD_DAYS,
  extendDeadline,
  mediationDeadline,
  mediationPeriodDays,
  periodEnd,
  RULING_PERIOD_DAYS,
} from './statutory-periods';
import { shanghaiDate, addDays, startOfShanghaiDay, endOfShanghaiDay, isValidCalendarDate, atShanghaiTime } from '../common/business-time';

describe('business time (Asia/Shanghai)', () => {
  it('takes the Shanghai calendar date, not UTC', () => {
    expect(shanghaiDate(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
    expect(shanghaiDate(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02');
  });
  it('computes day boundaries and adds days across months and leap years', () => {
    expect(startOfShanghaiDay('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-03-02').toISOString()).toBe('2026-03-02T16:00:00.000Z');
    expect(addDays('2028-02-20', 15)).toBe('2028-03-06');
    expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
    expect(atShanghaiTime('2026-05-01', 9).toISOString()).toBe('2026-05-01T01:00:00.000Z');
  });
  it('validates calendar dates', () => {
    expect(isValidCalendarDate('2026-02-28')).toBe(true);
    expect(isValidCalendarDate('2026-02-29')).toBe(false);
    expect(isValidCalendarDate('2026-2-1')).toBe(false);
  });
});

describe('mediation deadline', () => {
  const received = new Date('2026-03-01T02:00:00Z'); // 10:00 Shanghai, 1 March
  it('is 15 days for walk-in, hotline and arbitration referrals', () => {
    for (const source of ['walk_in', 'hotline', 'arbitration_referral'] as const) {
      expect(mediationDeadline({ source, receivedAt: received }).toISOString()).toBe('2026-03-16T16:00:00.000Z');
    }
  });
  it('is 30 days when the court assigns before filing (委派)', () => {
    expect(mediationPeriodDays('court_assigned')).toBe(30);
    expect(mediationDeadline({ source: 'court_assigned', receivedAt: received }).toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });
  it('is 15 days when entrusted after filing (委托), 7 under simple procedure', () => {
    expect(mediationDeadline({ source: 'court_entrusted', receivedAt: received }).toISOString()).toBe('2026-03-16T16:00:00.000Z');
    expect(mediationDeadline({ source: 'court_entrusted', receivedAt: received, simpleProcedure: true }).toISOString()).toBe('2026-03-08T16:00:00.000Z');
  });
  it('uses the date the court set at intake', () => {
    expect(mediationDeadline({ source: 'court_entrusted', receivedAt: received, courtDeadline: '2026-03-20' }).toISOString()).toBe('2026-03-20T16:00:00.000Z');
  });
  it('counts from the Shanghai day of receipt, even late in the evening UTC', () => {
    const lateUtc = new Date('2026-03-01T17:00:00Z'); // already 2 March in Shanghai
    expect(mediationDeadline({ source: 'walk_in', receivedAt: lateUtc }).toISOString()).toBe('2026-03-17T16:00:00.000Z');
  });
  it('moves by whole days on extension', () => {
    expect(extendDeadline(new Date('2026-03-16T16:00:00Z'), 10).toISOString()).toBe('2026-03-26T16:00:00.000Z');
  });
});

describe('confirmation periods', () => {
  it('ends the 30-day application window at 24:00 Shanghai of the 30th day after the agreement takes effect', () => {
    // Effective 2026-03-02 10:00 Shanghai: the window ends at 24:00 of 2026-04-01.
    expect(applicationWindowEnd(new Date('2026-03-02T02:00:00Z')).toISOString()).toBe('2026-04-01T16:00:00.000Z');
    expect(deadlineDateOf(applicationWindowEnd(new Date('2026-03-02T02:00:00Z')))).toBe('2026-04-01');
  });
  it('counts the court periods of 法释〔2011〕5号 in days: 3 to accept, 15 to rule, 25 extended', () => {
    expect([ACCEPTANCE_PERIOD_DAYS, RULING_PERIOD_DAYS, EXTENDED_RULING_PERIOD_DAYS, APPLICATION_WINDOW_DAYS]).toEqual([3, 15, 25, 30]);
    expect(periodEnd(new Date('2026-03-02T02:00:00Z'), RULING_PERIOD_DAYS).toISOString()).toBe('2026-03-17T16:00:00.000Z');
  });
});
