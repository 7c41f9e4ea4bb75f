import { AuditRepository } from './audit.repository';
import { AuditEntry, AuditService } from './audit.service';

const entry = (caseId: string): AuditEntry => ({ actor: { id: 'u1', username: 'a' }, action: 'case.identity_viewed', caseId });

describe('AuditService.recordGrouped', () => {
  it('writes the entries handed in together with one INSERT, and each caller waits for it', async () => {
    const inserts: string[][] = [];
    const repo = { insert: jest.fn(async (_em: unknown, rows: Array<{ caseId: string }>) => void inserts.push(rows.map((r) => r.caseId))) };
    const audit = new AuditService(repo as unknown as AuditRepository);
    await Promise.all([audit.recordGrouped([entry('a')]), audit.recordGrouped([entry('b'), entry('c')]), audit.recordGrouped([])]);
    expect(inserts).toEqual([['a', 'b', 'c']]);
    await audit.recordGrouped([entry('d')]);
    expect(inserts).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('tells every caller of a failed INSERT, and the next group is written again', async () => {
    let fail = true;
    const repo = {
      insert: jest.fn(async () => {
        if (fail) throw new Error('database down');
      }),
    };
    const audit = new AuditService(repo as unknown as AuditRepository);
    const results = await Promise.allSettled([audit.recordGrouped([entry('a')]), audit.recordGrouped([entry('b')])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(audit.recordGrouped([entry('c')])).resolves.toBeUndefined();
    expect(repo.insert).toHaveBeenCalledTimes(2);
  });
});
