/**
 * The app's read SQL, rebuilt from the app's own pure pieces (the case filter, the statistics
 * queries), for the floor server and for EXPLAIN. Only the SQL text and parameters: no Nest, no ORM.
 */
import type { AuthUser } from '../../src/accounts-core/auth-user';
import { shanghaiDate } from '../../src/common/business-time';
import { BatchStatement, statementText } from '../../src/common/kept-statements';
import { caseCountSql, gramShares, listPageAndTotalSql, SEARCH_GRAM_SHARES_SQL } from '../../src/case-core/cases.repository';
import { CASE_LIST_ORDER, CASE_LIST_SELECT } from '../../src/case-core/case-select';
import { buildCaseFilter, buildCounterTotal, countableFromCounters, countCapFor, searchPlansFor, shortSearchTerm } from '../../src/cases/case-query';
import { Period, requestedPeriod } from '../../src/stats/stats-periods';
import { StatsRepository } from '../../src/stats/stats.repository';
import type { StatsScope } from '../../src/stats/stats.repository';

export interface Sql {
  sql: string;
  params: unknown[];
}

/** The user a bearer token names (its claims decoded, not verified). */
export function userFromBearer(header: string | undefined): AuthUser {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? 'e30', 'base64url').toString());
  return { id: claims.sub, username: claims.username, role: claims.role, workstationId: claims.ws ?? null };
}

/** The share of the cases holding each common gram of the search index, as SearchTermShares reads it. */
export async function readGramShares(query: Executor): Promise<Map<string, number>> {
  return gramShares((await query(SEARCH_GRAM_SHARES_SQL)) as Array<{ grams: string[] | null; shares: number[] | null }>);
}

/**
 * GET /cases: the page (ORDER BY received_at DESC, id DESC) and the total, as CasesService.list
 * runs them (the total from `case_counts` when only workstation, status and type filter the list;
 * a short search term's plans from its share of the cases, `shares` from readGramShares).
 */
export function listQueries(
  user: AuthUser,
  query: URLSearchParams,
  shares: Map<string, number> = new Map(),
): { page: Sql; count: Sql; pageAndTotal: Sql; cap: number | null; page_: number; pageSize: number } {
  const page = Number(query.get('page') ?? 1);
  const pageSize = Number(query.get('pageSize') ?? 20);
  const overdue = query.get('overdue');
  const filter = {
    status: query.get('status')?.split(',').filter(Boolean) as never,
    workstationId: query.get('workstationId') ?? undefined,
    mediatorId: query.get('mediatorId') ?? undefined,
    disputeType: (query.get('disputeType') ?? undefined) as never,
    overdue: overdue === null ? undefined : overdue === 'true',
    q: query.get('q') ?? undefined,
    receivedFrom: query.get('receivedFrom') ?? undefined,
    receivedTo: query.get('receivedTo') ?? undefined,
  };
  const term = shortSearchTerm(filter);
  const plans = searchPlansFor(user, filter, term === null ? 0 : (shares.get(term.toLowerCase()) ?? 0));
  const { where, params } = buildCaseFilter(user, filter, 'c', plans.page);
  const counted = plans.count === plans.page ? { where, params } : buildCaseFilter(user, filter, 'c', plans.count);
  const n = params.length;
  const cap = countCapFor(filter);
  let count: Sql = { sql: caseCountSql(counted.where, cap), params: counted.params };
  if (countableFromCounters(user, filter)) {
    const counter = buildCounterTotal(user, filter);
    count = { sql: `SELECT coalesce(sum(n), 0)::int AS total FROM case_counts WHERE ${counter.where}`, params: counter.params };
  }
  // As the app sends them: the page and the total in one statement (CasesRepository.listPageAndTotal).
  // The app's columns (CASE_LIST_SELECT), in the app's order.
  const pageAndTotal = listPageAndTotalSql(CASE_LIST_SELECT, { where, params }, pageSize, (page - 1) * pageSize, { where: count.sql, params: count.params }, CASE_LIST_ORDER);
  return {
    page: { sql: `SELECT ${CASE_LIST_SELECT} FROM cases c WHERE ${where} ORDER BY c.received_at DESC, c.id DESC LIMIT $${n + 1} OFFSET $${n + 2}`, params: [...params, pageSize, (page - 1) * pageSize] },
    count,
    pageAndTotal: { sql: pageAndTotal.sql, params: pageAndTotal.params },
    cap,
    page_: page,
    pageSize,
  };
}

export type Rows = Array<Record<string, unknown>>;
export type Executor = (sql: string, params?: unknown[]) => Promise<Rows>;

/** One connection's worth of statements (what a TypeORM QueryRunner is to the statistics code). */
export interface Runner {
  query: Executor;
  /** Statements without parameters in one text (one round trip), the rows of each; none: one at a time. */
  batch?: (statements: readonly BatchStatement[]) => Promise<Rows[]>;
  release(): Promise<void>;
}

/**
 * The app's StatsRepository over plain executors instead of a TypeORM DataSource and its PgReads:
 * `query` for single statements, `runner()` for the read-only transaction it runs on one connection.
 */
export function statsRepositoryOver(query: Executor, runner: () => Runner): StatsRepository {
  const dataSource = {
    query,
    createQueryRunner: () => {
      const r = runner();
      return { query: r.query, manager: { query: r.query }, release: () => r.release() };
    },
    transaction: async <T>(isolation: string, fn: (em: { query: Executor }) => Promise<T>): Promise<T> => {
      const r = runner();
      try {
        await r.query(`BEGIN ISOLATION LEVEL ${isolation}`);
        const result = await fn({ query: r.query });
        await r.query('COMMIT');
        return result;
      } catch (e) {
        await r.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        await r.release();
      }
    },
  };
  const reads = {
    rows: query,
    // As PgReads.readOnlyTransaction: fn opens the transaction; answered before the COMMIT is done.
    readOnlyTransaction: async <T>(fn: (q: Executor, batch: (statements: readonly BatchStatement[]) => Promise<Rows[]>) => Promise<T>): Promise<T> => {
      const r = runner();
      let result: T;
      try {
        result = await fn(r.query, r.batch ?? (async (statements) => {
          const rows: Rows[] = [];
          for (const statement of statements) rows.push(await r.query(statementText(statement)));
          return rows;
        }));
      } catch (e) {
        await r.query('ROLLBACK').catch(() => undefined);
        await r.release();
        throw e;
      }
      void r
        .query('COMMIT')
        .catch(() => undefined)
        .then(() => r.release());
      return result;
    },
  };
  return new StatsRepository(dataSource as never, reads as never);
}

/** The scope and period of a stats request, as StatsService derives them. */
export function statsRequest(user: AuthUser, query: URLSearchParams): { scope: StatsScope; period: Period } {
  const workstationId = query.get('workstationId') ?? (user.role === 'admin' || !user.workstationId ? null : user.workstationId);
  return {
    scope: { workstationId, mediatorId: user.role === 'mediator' ? user.id : null },
    period: requestedPeriod(query.get('from') ?? undefined, query.get('to') ?? undefined, shanghaiDate(new Date())),
  };
}
