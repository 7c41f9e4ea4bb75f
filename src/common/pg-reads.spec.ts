import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { types as pgTypes } from 'pg';
import { QueryFailedError } from 'typeorm';
import { ISO_INSTANTS, isoInstant, isoJsonInstant, PgReads } from './pg-reads';
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

describe('PgReads.readOnlyTransaction', () => {
  /** One fake connection whose COMMIT completes only when `commit.finish()` is called (or fails). */
  function slowCommitPool(commitFails = false) {
    const statements: string[] = [];
    const released: unknown[] = [];
    let finish = () => {};
    const client = Object.assign(new EventEmitter(), {
      query: async (sql: string) => {
        statements.push(sql);
        if (sql === 'COMMIT') {
          await new Promise<void>((r) => (finish = r));
          if (commitFails) throw new Error('server closed the connection unexpectedly');
          return { rows: [] };
        }
        if (sql === 'BEGIN;\nSELECT 2') return [{ rows: [] }, { rows: [{ n: 2 }] }];
        if (sql === 'FAIL') throw Object.assign(new Error('boom'), { code: '22008' });
        return { rows: [{ sql }] };
      },
      release: (err?: unknown) => released.push(err),
    });
    const reads = new PgReads({ driver: { master: { connect: async () => client } } } as never);
    return { reads, statements, released, finish: () => finish() };
  }
  const tick = () => new Promise((r) => setImmediate(r));

  it('answers with fn\'s result before the COMMIT is done, and gives the connection back once it is', async () => {
    const pool = slowCommitPool();
    const rows = await pool.reads.readOnlyTransaction(async (query, batch) => [await batch(['BEGIN', 'SELECT 2']), await query('SELECT 3', [3])]);
    // Several statements in one text: the rows of each.
    expect(rows).toEqual([[[], [{ n: 2 }]], [{ sql: 'SELECT 3' }]]);
    expect(pool.statements).toEqual(['BEGIN;\nSELECT 2', 'SELECT 3', 'COMMIT']);
    expect(pool.released).toEqual([]);
    pool.finish();
    await tick();
    expect(pool.released).toEqual([undefined]);
  });

  it('drops the connection when the COMMIT fails (the answer was already given)', async () => {
    const pool = slowCommitPool(true);
    await pool.reads.readOnlyTransaction(async (query) => query('SELECT 1'));
    pool.finish();
    await tick();
    expect(pool.released).toEqual([true]);
  });

  it('rolls back when fn throws, and throws a failed statement as QueryFailedError', async () => {
    const pool = slowCommitPool();
    const error = await pool.reads.readOnlyTransaction(async (query, batch) => [await batch(['BEGIN', 'SELECT 2']), await query('FAIL')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError & { driverError: { code: string } }).driverError.code).toBe('22008');
    expect(pool.statements).toEqual(['BEGIN;\nSELECT 2', 'FAIL', 'ROLLBACK']);
    expect(pool.released).toEqual([undefined]);
  });

  it('drops a connection that cannot roll back', async () => {
    const { reads, released } = fakePool(['ROLLBACK']);
    await expect(reads.readOnlyTransaction(async () => Promise.reject(new Error('not valid')))).rejects.toThrow('not valid');
    expect(released).toEqual([true]);
  });
});

describe('PgReads: a connection that breaks while held', () => {
  it('drops a connection that broke during readOnlyTransaction', async () => {
    const { reads, released, client } = fakePool();
    const lost = new Error('terminating connection due to administrator command');
    await reads.readOnlyTransaction(async (query) => {
      client.emit('error', lost);
      return query('SELECT 1');
    });
    await new Promise((r) => setImmediate(r));
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

describe('isoInstant: a timestamptz as the ISO string of the Date pg would make of it', () => {
  const parseTimestamptz = pgTypes.getTypeParser(1184, 'text') as (text: string) => Date | number;
  const viaDate = (text: string) => {
    const d = parseTimestamptz(text);
    return d instanceof Date ? d.toISOString() : d;
  };

  it('gives what postgres-date and toISOString give, for every fraction PostgreSQL writes (0 to 6 digits, trailing zeros cut)', () => {
    const texts: string[] = [];
    for (const base of ['2026-11-29 03:15:31', '0999-01-01 00:00:00', '0050-06-30 23:59:59', '9999-12-31 23:59:59', '1970-01-01 00:00:00']) {
      texts.push(`${base}+00`);
      for (let us = 1; us < 1_000_000; us += 997) texts.push(`${base}.${String(us).padStart(6, '0').replace(/0+$/, '')}+00`);
      for (const f of ['1', '12', '123', '1234', '12345', '123456', '999999', '000001', '145', '0145', '29', '579']) texts.push(`${base}.${f.replace(/0+$/, '') || '0'}+00`);
    }
    let same = 0;
    for (const text of texts) if (isoInstant(text) === viaDate(text)) same++;
    expect(same).toBe(texts.length);
    expect(isoInstant('2026-11-29 03:15:31.123456+00')).toBe('2026-11-29T03:15:31.123Z');
    expect(isoInstant('2026-11-29 03:15:31.1+00')).toBe('2026-11-29T03:15:31.100Z');
    expect(isoInstant('2026-11-29 03:15:31+00')).toBe('2026-11-29T03:15:31.000Z');
  });

  it('takes anything else through pg\'s own parser: another session time zone, a year BC or past 9999', () => {
    for (const text of ['2026-11-29 11:15:31.5+08', '2026-11-29 03:15:31-05:30', '0044-03-15 12:00:00+00 BC', '10000-01-01 00:00:00+00', '2026-11-29 03:15:31.123456+00:00']) {
      expect(isoInstant(text)).toBe(viaDate(text));
    }
    expect(isoInstant('2026-11-29 11:15:31.5+08')).toBe('2026-11-29T03:15:31.500Z');
    expect(isoInstant('infinity')).toBe(Infinity);
  });

  it('is ISO_INSTANTS\' parser of timestamptz in text; every other type keeps pg\'s', () => {
    expect(ISO_INSTANTS.getTypeParser(1184, 'text')).toBe(isoInstant);
    for (const oid of [1114, 1082, 23, 1700, 3802, 16]) expect(ISO_INSTANTS.getTypeParser(oid, 'text')).toBe(pgTypes.getTypeParser(oid, 'text'));
  });
});

describe('isoJsonInstant: a timestamptz in JSON as the ISO string of new Date(text)', () => {
  const viaDate = (text: string) => new Date(text).toISOString();

  it('gives what new Date and toISOString give, for every fraction PostgreSQL writes (0 to 6 digits, trailing zeros cut)', () => {
    const texts: string[] = [];
    for (const base of ['2026-11-29T03:15:31', '0999-01-01T00:00:00', '0050-06-30T23:59:59', '9999-12-31T23:59:59', '1970-01-01T00:00:00']) {
      texts.push(`${base}+00:00`);
      for (let us = 1; us < 1_000_000; us += 997) texts.push(`${base}.${String(us).padStart(6, '0').replace(/0+$/, '')}+00:00`);
      for (const f of ['1', '12', '123', '1234', '12345', '123456', '999999', '000001', '145', '0145', '29', '579']) texts.push(`${base}.${f.replace(/0+$/, '') || '0'}+00:00`);
    }
    let same = 0;
    for (const text of texts) if (isoJsonInstant(text) === viaDate(text)) same++;
    expect(same).toBe(texts.length);
    expect(isoJsonInstant('2026-11-29T03:15:31.123456+00:00')).toBe('2026-11-29T03:15:31.123Z');
    expect(isoJsonInstant('2026-11-29T03:15:31.1+00:00')).toBe('2026-11-29T03:15:31.100Z');
    expect(isoJsonInstant('2026-11-29T03:15:31+00:00')).toBe('2026-11-29T03:15:31.000Z');
  });

  it('takes anything else through new Date: another offset, a year past 9999; an invalid one stays the invalid Date (written as null)', () => {
    for (const text of ['2026-11-29T11:15:31.5+08:00', '2026-11-29T03:15:31-05:30', '+010000-01-01T00:00:00Z', '2026-11-29T03:15:31.123Z']) {
      expect(isoJsonInstant(text)).toBe(viaDate(text));
    }
    expect(isoJsonInstant('2026-11-29T11:15:31.5+08:00')).toBe('2026-11-29T03:15:31.500Z');
    for (const text of ['infinity', 'not a date']) {
      const v = isoJsonInstant(text);
      expect(v).toBeInstanceOf(Date);
      expect(JSON.stringify({ v })).toBe('{"v":null}');
    }
  });
});

describe('PgReads.arrays', () => {
  it('asks pg for the rows as arrays, parsed by the types given', async () => {
    const seen: unknown[] = [];
    const pool = { query: async (config: unknown) => (seen.push(config), { rows: [['a', 1]] }) };
    const reads = new PgReads({ driver: { master: pool } } as never);
    expect(await reads.arrays('SELECT $1', [1], ISO_INSTANTS)).toEqual([['a', 1]]);
    expect(seen).toEqual([{ text: 'SELECT $1', values: [1], rowMode: 'array', types: ISO_INSTANTS }]);
  });

  it('throws a failed statement as QueryFailedError', async () => {
    const pool = { query: async () => Promise.reject(Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' })) };
    const reads = new PgReads({ driver: { master: pool } } as never);
    await expect(reads.arrays('SELECT $1::uuid', ['x'])).rejects.toBeInstanceOf(QueryFailedError);
  });
});

describe('PgReads.statement', () => {
  it('sends a registered statement as a named statement on the pool, any other as text, and gives its rows', async () => {
    const seen: unknown[] = [];
    const pool = { query: async (...args: unknown[]) => (seen.push(args), { rows: [{ n: 1 }] }) };
    const reads = new PgReads({ driver: { master: pool } } as never);
    const text = preparedStatement('pg_reads_spec_statement', 'WITH a AS (INSERT INTO x VALUES ($1) RETURNING id) SELECT id FROM a');
    expect(await reads.statement(text, [1])).toEqual([{ n: 1 }]);
    expect(await reads.statement('SELECT $1', [2])).toEqual([{ n: 1 }]);
    expect(seen).toEqual([[{ name: 'pg_reads_spec_statement', text, values: [1] }], ['SELECT $1', [2]]]);
    expect(() => preparedStatement('pg_reads_spec_statement', 'SELECT 1')).toThrow(/different texts/);
  });

  it('throws a failed statement as QueryFailedError', async () => {
    const pool = { query: async () => Promise.reject(Object.assign(new Error('value too long for type character varying(48)'), { code: '22001' })) };
    const reads = new PgReads({ driver: { master: pool } } as never);
    await expect(reads.statement('INSERT INTO x VALUES ($1)', ['x'])).rejects.toBeInstanceOf(QueryFailedError);
  });
});
