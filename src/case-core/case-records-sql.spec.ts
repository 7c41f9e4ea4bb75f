import { CASE_READ_RECORDS_AT, CASE_READ_SQL, CASE_RECORDS_SQL } from './case-records-sql';
import { CASE_LIST_COLUMNS, CASE_LIST_SELECT } from './case-select';
import { isoInstantsIn } from './cases.repository';

describe('the records SQL', () => {
  it("names every column as the entity's property, amounts and calendar dates as text", () => {
    for (const pair of ["'agreedAmount', a.agreed_amount::text", "'amount', i.amount::text", "'dueDate', i.due_date::text", "'effectiveAt', a.effective_at", "'rulingDueAt', f.ruling_due_at", "'scheduledAt', s.scheduled_at", "'installments', (SELECT"]) {
      expect(CASE_RECORDS_SQL).toContain(pair);
    }
  });
});

describe('the case read SQL (GET /cases/:id)', () => {
  it('selects the case list\'s columns, then the four records, with the records\' SQL for the same case', () => {
    expect(CASE_READ_SQL).toContain(`SELECT ${CASE_LIST_SELECT}, r.sessions, r.agreement, r.confirmation, r.attachments`);
    expect(CASE_READ_SQL).toContain(`(${CASE_RECORDS_SQL}) r WHERE c.id = $1`);
    expect(CASE_READ_RECORDS_AT).toBe(CASE_LIST_COLUMNS.length);
  });
});

describe('isoInstantsIn: the records\' instants as the strings their Dates are written as', () => {
  /** What records() did (reviveDates), written as JSON. */
  const revived = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revived);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.endsWith('At') && typeof v === 'string' ? new Date(v) : revived(v)]));
  };

  it('writes the same JSON as the revived Dates, at any depth, and leaves everything else as it is', () => {
    const records = {
      sessions: [{ id: 's1', scheduledAt: '2026-11-29T03:15:31.123456+00:00', notes: 'At', createdAt: '2026-11-29T03:15:31+00:00', updatedAt: '2026-11-29T03:15:31.1+00:00' }],
      agreement: {
        signedAt: '2026-11-29T11:15:31.5+08:00',
        breachedAt: null,
        signatories: [{ name: '张三', signedAt: 'not a date', at: '2026-01-01T00:00:00+00:00' }],
        dueDate: '2026-12-31',
        installments: [{ seq: 1, paidAt: null, dueDate: '2026-12-31', amount: '100.00' }, { seq: 2, paidAt: '0999-01-01T00:00:00.000001+00:00' }],
      },
      confirmation: null,
      attachments: [],
      countAt: 3,
    };
    const expected = JSON.stringify(revived(JSON.parse(JSON.stringify(records))));
    const copy = JSON.parse(JSON.stringify(records));
    expect(isoInstantsIn(copy)).toBe(copy);
    expect(JSON.stringify(copy)).toBe(expected);
    expect(copy.sessions[0].scheduledAt).toBe('2026-11-29T03:15:31.123Z');
    expect(copy.agreement.signedAt).toBe('2026-11-29T03:15:31.500Z');
    expect(copy.agreement.signatories[0].at).toBe('2026-01-01T00:00:00+00:00');
    expect(copy.agreement.signatories[0].signedAt).toBeInstanceOf(Date);
  });
});
