import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { PgReads } from './pg-reads';
import { preparedStatement } from './prepared-statements';

/** A pg pool of one fake connection that records its statements; `fail` names the statements that throw. */
function fakePool(fail: string[] = []) {
  const statements: string[] = [];
  const released: unknown[] = [];
  const client = Object.assign(new EventEmitter(), {
    query: async (sql: string) => {
      statements.push(sql);
      if (fail.includes(sql)) throw Object.assign(new Error(`${sql} failed`), { code: '23505' });
      return { rows: [{ sql }] };
    },
    release: (err?: unknown) => released.push(err),
  });
  const pool = { connect: async () => client };
  const reads = new PgReads({ driver: { master: pool } } as never);
  return { reads, statements, released, client };
}

describe('PgReads.transaction', () => {
  it('sends a registered statement as a named statement, the others as text', async () => {
    const sent: unknown[] = [];
    const client = Object.assign(new EventEmitter(), {
      query: async (...args: unknown[]) => {
        sent.push(args);
        return { rows: [] };
      },
      release: () => undefined,
    });
    const reads = new PgReads({ driver: { master: { connect: async () => client } } } as never);
    const text = preparedStatement('pg_reads_spec', 'INSERT INTO x VALUES ($1) RETURNING id');
    await reads.transaction(async (tx) => [await tx.query(text, [1]), await tx.query('INSERT y', [2])]);
    expect(sent).toEqual([['BEGIN', []], [{ name: 'pg_reads_spec', text, values: [1] }], ['INSERT y', [2]], ['COMMIT', []]]);
    expect(() => preparedStatement('pg_reads_spec', 'SELECT 1')).toThrow(/different texts/);
  });

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

describe('PgReads: a connection that breaks while held', () => {
  it('takes the client\'s error event (no uncaught exception) and drops the connection when it is given back', async () => {
    const { reads, released, client } = fakePool();
    const lost = new Error('Connection terminated unexpectedly');
    const rows = await reads.transaction(async (tx) => {
      expect(client.listenerCount('error')).toBe(1);
      client.emit('error', lost); // without a listener EventEmitter throws it here
      return tx.query('INSERT a');
    });
    expect(rows).toEqual([{ sql: 'INSERT a' }]);
    expect(released).toEqual([lost]);
    expect(client.listenerCount('error')).toBe(0);
  });

  it('drops a connection that broke during onOneConnection', async () => {
    const { reads, released, client } = fakePool();
    const lost = new Error('terminating connection due to administrator command');
    await reads.onOneConnection(async (query) => {
      client.emit('error', lost);
      return query('SELECT 1');
    });
    expect(released).toEqual([lost]);
    expect(client.listenerCount('error')).toBe(0);
  });
});

describe('PgReads.copyOut', () => {
  /** A pool of one connection whose COPY sends `chunks`, then ends or fails with `failure`. */
  function copyPool(chunks: Buffer[], failure?: Error) {
    const released: unknown[] = [];
    const client = Object.assign(new EventEmitter(), {
      query: () => {
        const out = new PassThrough();
        setImmediate(() => {
          for (const chunk of chunks) out.write(chunk);
          if (failure) out.destroy(failure);
          else out.end();
        });
        return out;
      },
      release: (err?: unknown) => released.push(err),
    });
    return { reads: new PgReads({ driver: { master: { connect: async () => client } } } as never), released };
  }

  it('gives the whole output as the buffers it came in, and the connection back', async () => {
    const chunks = [Buffer.from('PGCOPY'), Buffer.from([0, 1, 2])];
    const { reads, released } = copyPool(chunks);
    const out = await reads.copyOut('COPY (SELECT 1) TO STDOUT (FORMAT binary)');
    expect(out).toEqual(chunks);
    expect(released).toEqual([undefined]);
  });

  it('throws a failure as QueryFailedError (as DataSource.query does) and drops the connection', async () => {
    const { reads, released } = copyPool([Buffer.from('PGCOPY')], Object.assign(new Error('canceling statement due to user request'), { code: '57014' }));
    const failed = reads.copyOut('COPY (SELECT 1) TO STDOUT (FORMAT binary)');
    await expect(failed).rejects.toBeInstanceOf(QueryFailedError);
    await expect(failed).rejects.toMatchObject({ driverError: { code: '57014' } });
    expect(released).toEqual([true]);
  });
});
