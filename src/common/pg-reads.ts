import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { types as pgTypes } from 'pg';
import type { CustomTypesConfig, Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { BatchStatement, rowsOfBatch, statementText } from './kept-statements';
import { preparedName } from './prepared-statements';

/**
 * Single read statements straight on TypeORM's own pg pool (same connections, same settings):
 * `pool.query` checks a connection out once and gives it back, without the QueryRunner TypeORM
 * builds around every `DataSource.query` (its connect bookkeeping, query events and result
 * wrapping), which cost about as much CPU as pg itself on the busiest reads (issue 17). For the
 * hot read paths only; anything in a transaction stays with TypeORM. A failure is thrown as
 * TypeORM's QueryFailedError, as `DataSource.query` throws it, so that the error filter answers
 * exactly as before (e.g. 22P02 → 400, a lost connection → 503).
 */
@Injectable()
export class PgReads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** TypeORM's pg pool (the driver's `master`), read per call: it exists once the data source is initialized. */
  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return rowsOf<T>(this.pool, sql, params);
  }

  /**
   * One statement on its own (autocommit: atomic by itself), e.g. one whose CTEs write several
   * tables (intake, src/cases/intake-statement.ts): its rows, a failure thrown as QueryFailedError.
   * A statement registered with preparedStatement goes as a named statement (parsed once per connection).
   */
  statement<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const name = preparedName(sql);
    return rowsOf<T>(this.pool, sql, params, name === undefined ? undefined : { name });
  }

  /**
   * The rows of one statement as arrays of their values in the order of its SELECT list (pg's
   * rowMode 'array': pg makes no object per row, which costs more than the array on wide rows),
   * parsed by `types` instead of pg's own parsers when given (e.g. ISO_INSTANTS).
   */
  arrays<T = unknown[]>(sql: string, params: unknown[] = [], types?: CustomTypesConfig): Promise<T[]> {
    return rowsOf<T>(this.pool, sql, params, { rowMode: 'array', types });
  }

  /**
   * The whole output of one `COPY ... TO STDOUT`, as the buffers it arrived in (nothing copied or
   * decoded: e.g. bytea in FORMAT binary, where a SELECT gives it as hex text, twice its size). Read
   * to its end before it is returned, so that the connection is back in the pool before the caller
   * uses a byte: for small outputs only. A failure is thrown as QueryFailedError, as `rows` throws it,
   * and the connection is dropped.
   */
  async copyOut(sql: string): Promise<Buffer[]> {
    const { client, release } = await this.checkOut();
    try {
      const out = await new Promise<Buffer[]>((resolve, reject) => {
        const buffers: Buffer[] = [];
        client
          .query(copyTo(sql))
          .on('data', (b: Buffer) => buffers.push(b))
          .once('end', () => resolve(buffers))
          .once('error', reject);
      });
      release();
      return out;
    } catch (e) {
      release(true);
      throw new QueryFailedError(sql, [], e as Error);
    }
  }

  /**
   * `fn`'s statements in one read-only transaction on one connection, `fn` opening it: its BEGIN
   * goes with its first statements in one round trip (`batch`: statements without parameters in
   * one text, the rows of each). The answer is `fn`'s as soon as it has it: the COMMIT, which has
   * nothing to write, then goes on while the caller answers, and the connection goes back to the
   * pool once it is done (dropped if it failed, or broke meanwhile). Issue 17: the statistics'
   * COMMIT was one of four sequential round trips. When `fn` throws, ROLLBACK first (a connection
   * that cannot roll back is dropped).
   */
  async readOnlyTransaction<T>(fn: (query: RowsQuery, batch: BatchQuery) => Promise<T>): Promise<T> {
    const { client, release } = await this.checkOut();
    const query: RowsQuery = <R>(sql: string, params: unknown[] = []) => rowsOf<R>(client, sql, params);
    const batch: BatchQuery = (statements) => rowsOfEach(client, statements);
    let result: T;
    try {
      result = await fn(query, batch);
    } catch (e) {
      const rolledBack = await rowsOf(client, 'ROLLBACK', []).then(
        () => true,
        () => false,
      );
      release(!rolledBack);
      throw e;
    }
    client.query('COMMIT').then(
      () => release(),
      () => release(true),
    );
    return result;
  }

  /**
   * A pooled connection held for several statements. A checked-out pg client whose server goes
   * away (a restart, a terminated backend) emits 'error', and with no listener that is an
   * uncaught exception that ends the process; the statement in flight fails on its own, so the
   * listener only remembers that the connection is broken, and `release` then drops it from the
   * pool (as it drops one that `drop` names).
   */
  private async checkOut(): Promise<{ client: PoolClient; release: (drop?: boolean) => void }> {
    const client = await this.pool.connect();
    let broken: Error | null = null;
    const onError = (e: Error) => {
      broken = e;
    };
    client.on('error', onError);
    const release = (drop = false) => {
      client.removeListener('error', onError);
      client.release(broken ?? (drop || undefined));
    };
    return { client, release };
  }
}

/**
 * What a statement inside a transaction needs of it: `query(sql, params)` giving the rows. A
 * TypeORM EntityManager is one.
 */
export type TransactionQuery = Pick<EntityManager, 'query'>;

/**
 * A statement's rows, a failure thrown as TypeORM's QueryFailedError; with `config`, pg's row mode
 * and type parsers, and/or the statement's name (sent as a named statement, see preparedStatement).
 */
async function rowsOf<T>(
  on: Pool | PoolClient,
  sql: string,
  params: unknown[],
  config?: { rowMode?: 'array'; types?: CustomTypesConfig; name?: string },
): Promise<T[]> {
  try {
    return (await (config ? on.query({ text: sql, values: params, ...config }) : on.query(sql, params))).rows as T[];
  } catch (e) {
    throw new QueryFailedError(sql, params, e as Error);
  }
}

/**
 * Statements without parameters sent as one text (pg's simple query protocol: one round trip),
 * the rows of each; a failure is thrown as QueryFailedError. Their values must be literals. A kept
 * statement (keptStatement) goes as `EXECUTE name`, prepared on the connection first if it is new there.
 */
async function rowsOfEach(on: PoolClient, statements: readonly BatchStatement[]): Promise<unknown[][]> {
  try {
    return await rowsOfBatch(on, statements);
  } catch (e) {
    throw new QueryFailedError(statements.map(statementText).join(';\n'), [], e as Error);
  }
}

/** Statements without parameters in one round trip, the rows of each (PgReads.readOnlyTransaction). */
export type BatchQuery = (statements: readonly BatchStatement[]) => Promise<unknown[][]>;

/** A statement's rows (PgReads.rows, or on one connection in PgReads.readOnlyTransaction). */
export type RowsQuery = <R>(sql: string, params?: unknown[]) => Promise<R[]>;

const TIMESTAMPTZ = 1184;

/**
 * A `timestamptz` as PostgreSQL writes it (ISO DateStyle, e.g. `2026-11-29 03:15:31.123456+00` in
 * the UTC session), turned into the string `Date.prototype.toISOString()` gives for the Date pg
 * would have made of it (`2026-11-29T03:15:31.123Z`: milliseconds cut, not rounded, as pg's
 * postgres-date cuts them), without making that Date. For a value that is only written out again
 * (the case list's instants, issue 17: parsing them to Dates and writing those back cost a
 * tenth of the list's own CPU). Anything but a four-digit year at offset +00 (another session time
 * zone, a year BC or after 9999, infinity) goes through pg's own parser first, then toISOString.
 */
export function isoInstant(text: string): string {
  const n = text.length;
  if (n >= 22 && n <= 29 && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 32 && text.endsWith('+00')) {
    // As few string pieces as can be (issue 17: the list makes some hundred of these a page):
    // with three or more digits of fraction the time and the milliseconds are one slice.
    if (n >= 26 && text.charCodeAt(19) === 46) return text.slice(0, 10) + 'T' + text.slice(11, 23) + 'Z';
    if (n === 22) return text.slice(0, 10) + 'T' + text.slice(11, 19) + '.000Z';
    if (text.charCodeAt(19) === 46) {
      if (n === 24) return text.slice(0, 10) + 'T' + text.slice(11, 21) + '00Z';
      if (n === 25) return text.slice(0, 10) + 'T' + text.slice(11, 22) + '0Z';
      return `${text.slice(0, 10)}T${text.slice(11, 19)}.000Z`; // (a point and no digits)
    }
  }
  const parsed = parseTimestamptz(text);
  // (±infinity is the number pg gives, as before.)
  return parsed instanceof Date ? parsed.toISOString() : (parsed as unknown as string);
}

const parseTimestamptz = pgTypes.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date | number;

/**
 * An instant as PostgreSQL writes it in JSON (`to_json` of a `timestamptz`, e.g.
 * `2026-11-29T03:15:31.123456+00:00` in the UTC session) turned into the string
 * `new Date(text).toISOString()` gives (`2026-11-29T03:15:31.123Z`: V8 cuts the milliseconds as
 * isoInstant does), without making that Date. Anything but a four-digit year at offset +00:00 goes
 * through `new Date` (and stays that Date when it is invalid, as before: JSON writes it as null).
 */
export function isoJsonInstant(text: string): string | Date {
  const n = text.length;
  if (n >= 25 && n <= 32 && text.charCodeAt(4) === 45 && text.charCodeAt(10) === 84 && text.endsWith('+00:00')) {
    if (n === 25) return `${text.slice(0, 19)}.000Z`;
    if (text.charCodeAt(19) === 46) return `${text.slice(0, 19)}.${text.slice(20, Math.min(23, n - 6)).padEnd(3, '0')}Z`;
  }
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? date : date.toISOString();
}

/** pg's parsers but for `timestamptz`, which comes as the ISO string of its instant (isoInstant). */
export const ISO_INSTANTS: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMPTZ && format !== 'binary' ? isoInstant : pgTypes.getTypeParser(oid, format as 'text')) as CustomTypesConfig['getTypeParser'],
};
