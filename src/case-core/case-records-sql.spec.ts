import { CASE_RECORDS_SQL } from './case-records-sql';

describe('the records SQL', () => {
  it("names every column as the entity's property, amounts and calendar dates as text", () => {
    for (const pair of ["'agreedAmount', a.agreed_amount::text", "'amount', i.amount::text", "'dueDate', i.due_date::text", "'effectiveAt', a.effective_at", "'rulingDueAt', f.ruling_due_at", "'scheduledAt', s.scheduled_at", "'installments', (SELECT"]) {
      expect(CASE_RECORDS_SQL).toContain(pair);
    }
  });
});
