import { Client, QueryResult } from 'pg';
import { Executor, listQueries, readGramShares, statsRepositoryOver, statsRequest, userFromBearer } from './app-sql';
import type { RequestSpec } from './load';

export interface QueryPlan {
  /** The request it belongs to, and which of its statements. */
  request: string;
  statement: string;
  sql: string;
  executionMs: number;
  planningMs: number;
  plan: string;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the SQL behind the benchmarked read requests, with the same text
 * and parameters the app sends (built by the app's own filter and statistics code). Each
 * statement runs twice and the second (warm) plan is kept.
 */
export async function explainQueries(pg: Client, requests: RequestSpec[]): Promise<QueryPlan[]> {
  const plans: QueryPlan[] = [];
  const explain = async (request: string, statement: string, sql: string, params: unknown[]) => {
    await pg.query(`EXPLAIN (ANALYZE) ${sql}`, params);
    const { rows } = await pg.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    // Long array literals (the statistics' list of snapshot days) shortened to their size.
    const text = rows
      .map((r) => String(r['QUERY PLAN']).replace(/'\{([^}]{200,})\}'/g, (_m, items: string) => `'{... ${items.split(',').length} items ...}'`))
      .join('\n');
    const ms = (label: string) => Number(new RegExp(`${label} Time: ([0-9.]+) ms`).exec(text)?.[1] ?? NaN);
    plans.push({ request, statement, sql: sql.replace(/\s+/g, ' ').trim(), executionMs: ms('Execution'), planningMs: ms('Planning'), plan: text });
  };

  const shares = await readGramShares(async (sql, params) => (await pg.query(sql, params)).rows);
  for (const spec of requests) {
    const url = new URL(spec.path, 'http://x');
    const user = userFromBearer(spec.headers.authorization);
    const label = `${user.role}${user.workstationId ? ' (own workstation)' : ''}: GET ${spec.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')}`;
    if (url.pathname === '/api/v1/cases') {
      const q = listQueries(user, url.searchParams, shares);
      await explain(label, 'page', q.page.sql, q.page.params);
      await explain(label, 'total', q.count.sql, q.count.params);
      await explain(label, 'page and total (one statement, as sent)', q.pageAndTotal.sql, q.pageAndTotal.params);
      continue;
    }
    const grouping = url.pathname.endsWith('/summary') ? 'none' : url.pathname.endsWith('/timeseries') ? 'month' : null;
    if (!grouping) continue;
    const { scope, period } = statsRequest(user, url.searchParams);
    // The statistics code builds its SQL from the snapshot coverage it finds: transaction control
    // (with its SET LOCAL jit = off) and that lookup run for real, everything else is explained.
    const run: Executor = async (sql, params) => {
      if (/^\s*(BEGIN|COMMIT|ROLLBACK|SET)\b/i.test(sql) || /FROM stats_snapshot_/.test(sql)) {
        const result = (await pg.query(sql, params)) as unknown as QueryResult | QueryResult[];
        return Array.isArray(result) ? result[result.length - 1].rows : result.rows;
      }
      await explain(label, /overdue/.test(sql) ? 'overdue open' : /FROM consultations/.test(sql) ? 'consultations' : 'figures', sql, params ?? []);
      return [];
    };
    // answerParts sends its statements in parallel, but there is one client here: the statements
    // outside the figures' transaction wait for it to end, so that each is explained as it runs.
    let transactionEnded: Promise<void> = Promise.resolve();
    const transaction = () => {
      let end = () => undefined as void;
      transactionEnded = new Promise<void>((resolve) => (end = resolve));
      return { query: run, release: async () => end() };
    };
    const stats = statsRepositoryOver((sql, params) => transactionEnded.then(() => run(sql, params)), transaction);
    await stats.answerParts(period, scope, grouping);
  }
  return plans;
}
