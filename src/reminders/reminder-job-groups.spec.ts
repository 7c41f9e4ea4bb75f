import { groupByFireAt } from './outbox-dispatcher';
import { MAX_DELIVERY_BATCH } from './reminder-delivery.service';
import { OutboxEntry } from './reminders.repository';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const row = (n: number, fireAt: string): OutboxEntry => ({ id: id(n), fireAt: new Date(fireAt), jobId: null });

describe('groupByFireAt', () => {
  it('puts the rows due at the same moment in one job, named after its first row, and others apart', () => {
    const groups = groupByFireAt([row(3, '2030-01-01T01:00:00Z'), row(1, '2030-01-02T01:00:00Z'), row(2, '2030-01-01T01:00:00Z'), row(4, '2030-01-01T01:00:00.001Z')]);
    expect(groups).toEqual([
      { jobId: id(2), reminderIds: [id(2), id(3)] },
      { jobId: id(4), reminderIds: [id(4)] },
      { jobId: id(1), reminderIds: [id(1)] },
    ]);
  });

  it('gives a reminder alone its own id as job id', () => {
    expect(groupByFireAt([row(7, '2030-01-01T01:00:00Z')])).toEqual([{ jobId: id(7), reminderIds: [id(7)] }]);
  });

  it('splits a burst due at one moment into jobs of one delivery batch', () => {
    const rows = Array.from({ length: 2 * MAX_DELIVERY_BATCH + 1 }, (_, i) => row(i + 1, '2030-01-01T01:00:00Z'));
    const groups = groupByFireAt(rows);
    expect(groups.map((g) => g.reminderIds.length)).toEqual([MAX_DELIVERY_BATCH, MAX_DELIVERY_BATCH, 1]);
    expect(new Set(groups.flatMap((g) => g.reminderIds)).size).toBe(rows.length);
    expect(groups.map((g) => g.jobId)).toEqual([id(1), id(MAX_DELIVERY_BATCH + 1), id(2 * MAX_DELIVERY_BATCH + 1)]);
  });
});
