import { breachRemedy } from './breach-remedy';
import { messages } from './reminder-messages';

describe('breach remedy', () => {
  it('sends a confirmed agreement or a court mediation document to enforcement', () => {
    expect(breachRemedy('confirmed', 'social_insurance')).toBe('enforcement');
    expect(breachRemedy('court_concluded', 'wage_arrears')).toBe('enforcement');
    expect(messages.installmentBreach('X-1', 1, '100.00', '2026-01-01', 'enforcement')).toContain('强制执行');
  });

  it('allows a payment order (art. 16) for unconfirmed wage, work-injury and compensation agreements', () => {
    for (const t of ['wage_arrears', 'overtime', 'work_injury', 'compensation'] as const) expect(breachRemedy('agreement_reached', t)).toBe('payment_order');
    expect(messages.installmentBreach('X-1', 1, '100.00', '2026-01-01', 'payment_order')).toContain('第十六条');
  });

  it('sends any other unconfirmed agreement to arbitration (art. 15)', () => {
    for (const t of ['social_insurance', 'dismissal', 'other'] as const) expect(breachRemedy('agreement_reached', t)).toBe('arbitration');
    expect(breachRemedy('confirmation_rejected', 'social_insurance')).toBe('arbitration');
    const text = messages.installmentBreach('X-1', 1, '100.00', '2026-01-01', 'arbitration');
    expect(text).toContain('第十五条');
    expect(text).not.toContain('第十六条');
  });
});
