import { QueryFailedError } from 'typeorm';
import { PgReads } from './pg-reads';

/** A pg pool of one fake connection that records its statements; `fail` names the statements that throw. */
function fakePool(fail: string[] = []) {
  const statements: string[] = [];
  const released: unknown[] = [];
  const client = {
    query: async (sql: string) => {
      statements.push(sql);
      if (fail.includes(sql)) throw Object.assign(new Error(`${sql} failed`), { code: '23505' });
      return { rows: [{ sql }] };
    },
    release: (err?: unknown) => released.push(err),
  };
  const pool = { connect: async () => client };
  const reads = new PgReads({ driver: { master: pool } } as never);
  return { reads, statements, released };
}

describe('PgReads.transaction', () => {
  it('runs the statements between BEGIN and COMMIT on one connection and gives their rows', async () => {
    const { reads, statements, released } = fakePool();
    const rows = await reads.transaction(async (tx) => [await tx.query('INSERT a'), await tx.query('INSERT b', [1])]);
    expect(rows).toEqual([[{ sql: 'INSERT a' }], [{ sql: 'INSERT b' }]]);
    expect(statements).toEqual(['BEGIN', 'INSERT a', 'INSERT b', 'COMMIT']);
    expect(released).toEqual([undefined]);
  });

  it('rolls back when the work throws, and throws a failed statement as TypeORM QueryFailedError', async () => {
    const { reads, statements, released } = fakePool(['INSERT b']);
    const error = await reads.transaction(async (tx) => [await tx.query('INSERT a'), await tx.query('INSERT b')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('23505');
    expect(statements).toEqual(['BEGIN', 'INSERT a', 'INSERT b', 'ROLLBACK']);
    expect(released).toEqual([undefined]);
  });

  it('drops a connection that cannot roll back from the pool', async () => {
    const { reads, released } = fakePool(['ROLLBACK']);
    await expect(
      reads.transaction(async () => {
        throw new Error('not valid');
      }),
    ).rejects.toThrow('not valid');
    expect(released).toEqual([true]);
  });
});
