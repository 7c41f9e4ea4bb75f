import { retentionCutoff } from './retention.service';

describe('retentionCutoff', () => {
  it('goes back whole years', () => {
    expect(retentionCutoff(new Date('2036-03-01T04:00:00Z'), 10).toISOString()).toBe('2026-03-01T04:00:00.000Z');
  });
});
