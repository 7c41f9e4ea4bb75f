import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { PgReads } from '../common/pg-reads';
import { AuditRepository, AuditRow } from './audit.repository';

const row = (caseId: string): AuditRow => ({ actorId: 'u1', actorName: 'a', action: 'case.identity_viewed', caseId, targetId: null, ip: null, details: { method: 'GET' } });

describe('AuditRepository.insert', () => {
  const setup = () => {
    const dataSource = { query: jest.fn() };
    const reads = { rows: jest.fn(async () => []) };
    return { dataSource, reads, repo: new AuditRepository(dataSource as unknown as DataSource, reads as unknown as PgReads) };
  };

  it('writes rows on their own straight to the pool, one INSERT, not through DataSource.query', async () => {
    const { dataSource, reads, repo } = setup();
    await repo.insert(null, [row('c1'), row('c2')]);
    expect(dataSource.query).not.toHaveBeenCalled();
    expect(reads.rows).toHaveBeenCalledTimes(1);
    const [sql, params] = reads.rows.mock.calls[0] as unknown as [string, unknown[]];
    expect(sql).toBe('INSERT INTO audit_log (actor_id, actor_name, action, case_id, target_id, ip, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb), ($8, $9, $10, $11, $12, $13, $14::jsonb)');
    expect(params).toEqual(['u1', 'a', 'case.identity_viewed', 'c1', null, null, '{"method":"GET"}', 'u1', 'a', 'case.identity_viewed', 'c2', null, null, '{"method":"GET"}']);
  });

  it("writes in the caller's transaction when given its EntityManager", async () => {
    const { reads, repo } = setup();
    const em = { query: jest.fn(async () => []) };
    await repo.insert(em as unknown as EntityManager, [row('c1')]);
    expect(em.query).toHaveBeenCalledTimes(1);
    expect(reads.rows).not.toHaveBeenCalled();
  });

  it("rejects with the pool's failure (the answer it guards is then not sent)", async () => {
    const { reads, repo } = setup();
    const failure = new QueryFailedError('INSERT', [], new Error('audit table unavailable'));
    reads.rows.mockRejectedValueOnce(failure);
    await expect(repo.insert(null, [row('c1')])).rejects.toBe(failure);
  });

  it('writes nothing for no rows', async () => {
    const { dataSource, reads, repo } = setup();
    await repo.insert(null, []);
    expect(reads.rows).not.toHaveBeenCalled();
    expect(dataSource.query).not.toHaveBeenCalled();
  });
});
