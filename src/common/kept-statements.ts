import { createHash } from 'node:crypto';
import type { ClientBase, QueryResult } from 'pg';
import { setNewest } from './bounded-map';

/**
 * A statement of a batch (PgReads.readOnlyTransaction) that each connection keeps prepared on the
 * server (SQL `PREPARE`), so that a batch sends `EXECUTE name` instead of its text: PostgreSQL then
 * parses, analyses and plans it once per connection instead of at every run. For statements without
 * parameters (their values are literals) that are sent again and again with the same text and cost
 * more to plan than to run: the statistics' coverage and figures (issue 17: about 1 ms of planning
 * and parsing a request, the whole round trip ~4.2 -> ~1.6 ms measured unloaded at 300,000 cases).
 *
 * Without parameters its plan is the one planned with its literals, as it was when sent as text;
 * PostgreSQL plans it again by itself when what it reads changes (a new index, an ANALYZE). The
 * name is a digest of the text, so a name always means the same text on every connection.
 */
export interface KeptStatement {
  readonly name: string;
  readonly text: string;
}

/** A statement of a batch: a text, or a kept statement. */
export type BatchStatement = string | KeptStatement;

/** A batch statement's SQL: the text itself, or the text a kept statement was prepared from. */
export function statementText(statement: BatchStatement): string {
  return typeof statement === 'string' ? statement : statement.text;
}

export function keptStatement(text: string): KeptStatement {
  return { name: `kept_${createHash('sha1').update(text).digest('hex').slice(0, 32)}`, text };
}

/**
 * How many kept statements a connection holds at most (the least recently used is deallocated).
 * Each costs its server process memory: ~0.35 MB for a five-year figures statement with its plan
 * (pg_backend_memory_contexts), so at most ~6 MB a connection. The bench's requests use 6.
 */
export const KEPT_PER_CONNECTION = 16;

/** The kept statements prepared on each connection, least recently used first. */
const preparedOn = new WeakMap<ClientBase, Map<string, true>>();

/**
 * Prepares on `client` those of `statements` it does not hold yet, each in its own round trip
 * (PREPARE outside the batch: whether it succeeded is then certain, and a failed batch leaves the
 * connection's prepared statements as they were), deallocating the least recently used beyond
 * KEPT_PER_CONNECTION; then the batch's text, with `EXECUTE name` for each kept statement.
 * A connection meets a statement for the first time seldom (once per text, a text lasting a day or
 * until the statistics' coverage changes), so the extra round trips are rare.
 */
export async function batchText(client: ClientBase, statements: readonly BatchStatement[]): Promise<string> {
  let prepared = preparedOn.get(client);
  if (!prepared) preparedOn.set(client, (prepared = new Map()));
  const texts: string[] = [];
  for (const statement of statements) {
    if (typeof statement === 'string') {
      texts.push(statement);
      continue;
    }
    if (!prepared.has(statement.name)) {
      if (prepared.size >= KEPT_PER_CONNECTION) {
        const oldest = prepared.keys().next().value as string;
        prepared.delete(oldest);
        await client.query(`DEALLOCATE ${oldest}`);
      }
      await prepare(client, statement);
    }
    setNewest(prepared, statement.name, true, KEPT_PER_CONNECTION);
    texts.push(`EXECUTE ${statement.name}`);
  }
  return texts.join(';\n');
}

/** PostgreSQL's code for a prepared statement's name already in use (42P05 duplicate_prepared_statement). */
const DUPLICATE_PREPARED_STATEMENT = '42P05';

/**
 * PREPARE on the connection. A name already there holds the same text (the name is its digest):
 * a PREPARE whose answer the client lost (the connection's query was abandoned) did take effect.
 */
async function prepare(client: ClientBase, statement: KeptStatement): Promise<void> {
  try {
    await client.query(`PREPARE ${statement.name} AS ${statement.text}`);
  } catch (e) {
    if ((e as { code?: string }).code !== DUPLICATE_PREPARED_STATEMENT) throw e;
  }
}

/** Statements without parameters in one text on `client` (one round trip once prepared), the rows of each. */
export async function rowsOfBatch(client: ClientBase, statements: readonly BatchStatement[]): Promise<unknown[][]> {
  const result = (await client.query(await batchText(client, statements))) as unknown as QueryResult | QueryResult[];
  const results = Array.isArray(result) ? result : [result];
  if (results.length !== statements.length) throw new Error(`${statements.length} statements gave ${results.length} results`);
  return results.map((r) => r.rows);
}
