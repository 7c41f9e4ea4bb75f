/**
 * The floor: the benchmarked endpoints as a bare node:http server over raw `pg`, doing the same
 * SQL as the app (the case filter, the statistics SQL and the reminder plans are the app's own
 * pure functions; the intake transaction is written out statement by statement as the services
 * run it; an answer showing an identity number whole writes its audit row, as src/audit does).
 * No framework, no ORM, no validation, no token check (the bearer token is only decoded
 * for the user's scope). What the app costs above this is the price of everything else.
 *
 *   PORT=... DATABASE_URL=... node dist/bench/floor-server.js
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient, QueryResult } from 'pg';
import type { AuthUser } from '../src/accounts-core/auth-user';
import { canSeeIdentity } from '../src/accounts-core/scope';
import { CASE_READ_SQL } from '../src/case-core/case-records-sql';
import { shanghaiYear } from '../src/common/business-time';
import type { CaseSource } from '../src/case-core/case-lifecycle';
import { deadlineDateOf, mediationDeadline } from '../src/case-core/statutory-periods';
import type { TransactionQuery } from '../src/common/pg-reads';
import { preparedName } from '../src/common/prepared-statements';
import { insertTimelineEventWithOutbox } from '../src/webhooks/webhook-outbox';
import { mediationPlans, plansToWrite } from '../src/reminders/reminder-registry';
import { Executor, listQueries, readGramShares, Runner, statsRepositoryOver, statsRequest, userFromBearer } from './lib/app-sql';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 20), application_name: 'bench-floor' });

const rowsOf = (result: QueryResult | QueryResult[]) => (Array.isArray(result) ? result[result.length - 1].rows : result.rows);
const query: Executor = async (sql, params) => rowsOf(await pool.query(sql, params));
/** A pooled connection taken at the first statement, as a TypeORM QueryRunner does. */
const runner = (): Runner => {
  let client: Promise<PoolClient> | undefined;
  return {
    query: async (sql, params) => rowsOf((await (await (client ??= pool.connect())).query(sql, params)) as QueryResult | QueryResult[]),
    batch: async (statements) => {
      const result = (await (await (client ??= pool.connect())).query(statements.join(';\n'))) as QueryResult | QueryResult[];
      return (Array.isArray(result) ? result : [result]).map((r) => r.rows);
    },
    release: async () => {
      if (client) (await client).release();
    },
  };
};
const stats = statsRepositoryOver(query, runner);

async function inTransaction<T>(fn: (client: PoolClient) => Promise<T>, isolation?: string): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(isolation ? `BEGIN ISOLATION LEVEL ${isolation}` : 'BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the floor reads request bodies as loosely as the app's DTOs do
async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** Intake: the same statements, in the same order, in one transaction, as CasesService.create and RemindersService.caseOpened. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see readJson
async function intake(user: AuthUser, body: Record<string, any>) {
  const now = new Date();
  const receivedAt = now;
  const deadlineAt = mediationDeadline({ source: body.source as CaseSource, receivedAt });
  return inTransaction(async (db) => {
    const year = shanghaiYear(receivedAt);
    const id = randomUUID();
    const { rows } = await db.query(
      `WITH counter AS (
         INSERT INTO case_number_counters (workstation_id, year, last_value)
         SELECT id, $2, 1 FROM workstations WHERE id = $1
         ON CONFLICT (workstation_id, year) DO UPDATE SET last_value = case_number_counters.last_value + 1
         RETURNING last_value)
       INSERT INTO cases (case_number, id, workstation_id, source, court_case_number, simple_procedure, dispute_type, status, summary, claim_amount, worker_count,
                          applicant_name, applicant_id_number, applicant_phone, respondent_name, respondent_credit_code, respondent_phone, mediator_id,
                          received_at, deadline_at, extension_days, overdue, concluded_at, outcome_reason, created_by, version, created_at, updated_at)
       SELECT w.code || '-' || $2::text || '-' || lpad(counter.last_value::text, 6, '0'), $3, $1, $4, $5, false, $6, 'registered', $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL,
              $16, $17, 0, false, NULL, NULL, $18, 1, $19, $19
         FROM counter, workstations w WHERE w.id = $1
       RETURNING case_number`,
      [
        body.workstationId, year, id, body.source, body.courtCaseNumber ?? null, body.disputeType, body.summary, body.claimAmount,
        body.workerCount ?? 1, body.applicant.name, body.applicant.idNumber ?? null, body.applicant.phone ?? null, body.respondent.name,
        body.respondent.creditCode ?? null, body.respondent.phone ?? null, receivedAt, deadlineAt, user.id, now,
      ],
    );
    if (!rows.length) throw Object.assign(new Error('workstationId does not exist'), { status: 400 });
    const caseNumber: string = rows[0].case_number;
    // The timeline event and its webhook outbox rows in the app's one statement (src/webhooks/webhook-outbox.ts),
    // named as the app's raw pg transaction names it (PgReads.transaction, preparedStatement).
    const eventQuery = async (sql: string, params: unknown[]) => {
      const name = preparedName(sql);
      return (await (name === undefined ? db.query(sql, params) : db.query({ name, text: sql, values: params }))).rows;
    };
    await insertTimelineEventWithOutbox({ query: eventQuery } as TransactionQuery, {
      caseId: id, type: 'case_registered', actorId: user.id, at: now, before: null,
      after: { caseNumber, status: 'registered', source: body.source, disputeType: body.disputeType, claimAmount: body.claimAmount, deadlineAt, deadlineDate: deadlineDateOf(deadlineAt), applicantKind: 'worker' },
    });
    const plans = plansToWrite(mediationPlans(deadlineAt), now);
    if (plans.length) {
      await db.query(
        `INSERT INTO reminders (kind, case_id, subject_id, subject_seq, fire_at, due_at, status)
         SELECT k, $1, s, q, f, d, 'pending' FROM unnest($2::varchar[], $3::uuid[], $4::int[], $5::timestamptz[], $6::timestamptz[]) AS t(k, s, q, f, d)`,
        [id, plans.map((p) => p.kind), plans.map((p) => p.subjectId), plans.map((p) => p.subjectSeq), plans.map((p) => p.fireAt), plans.map((p) => p.dueAt)],
      );
    }
    return { ...body, id, caseNumber, status: 'registered', deadlineAt };
  });
}

/** The search index's common grams (SearchTermShares), read as the app reads them: once every ten minutes. */
let gramShares: { at: number; shares: Promise<Map<string, number>> } | null = null;
function searchGramShares(): Promise<Map<string, number>> {
  if (!gramShares || Date.now() - gramShares.at > 10 * 60_000) {
    gramShares = { at: Date.now(), shares: readGramShares(async (sql, params) => (await pool.query(sql, params)).rows) };
  }
  return gramShares.shares;
}

/** The list: the page and the total in one statement, with the app's WHERE clause, as the app sends it. */
async function list(user: AuthUser, search: URLSearchParams) {
  const q = listQueries(user, search, search.get('q') ? await searchGramShares() : new Map());
  const { rows } = await pool.query(q.pageAndTotal.sql, q.pageAndTotal.params);
  const n: number = rows[0].__total;
  const items = rows[0].id === null ? [] : rows.map(({ __total, ...row }) => row);
  return { items, total: n, totalCapped: q.cap !== null && n >= q.cap, page: q.page_, pageSize: q.pageSize };
}

/** One case: the row with its sessions, agreement (with installments), confirmation and attachments in one statement, as CasesService.get. */
async function oneCase(user: AuthUser, id: string, ip: string | null) {
  // The app's statement (CasesRepository.findForView).
  const { rows } = await pool.query(CASE_READ_SQL, [id]);
  if (!rows.length) return null;
  // The app records every answer that shows an identity number whole (src/audit): the same INSERT here.
  const c = rows[0];
  if (canSeeIdentity(user, { workstationId: c.workstation_id, mediatorId: c.mediator_id }) && c.applicant_id_number) {
    await pool.query(`INSERT INTO audit_log (actor_id, actor_name, action, case_id, target_id, ip, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`, [
      user.id, user.username, 'case.identity_viewed', id, null, ip, JSON.stringify({ method: 'GET', path: '/api/v1/cases/:id' }),
    ]);
  }
  return c;
}

/** The figures' columns of an answer, as the app names them (its ratios derived from these are left out). */
const withConsultations = (figures: object | undefined, consultations: number | undefined) => ({ ...figures, consultations: consultations ?? 0 });

/** The app's check that a named workstation exists, beside the answer's statements as StatsService runs it. */
const workstationCheck = (search: URLSearchParams) => (search.get('workstationId') ? pool.query(`SELECT 1 FROM workstations WHERE id = $1`, [search.get('workstationId')]) : undefined);

async function summary(user: AuthUser, search: URLSearchParams) {
  const { scope, period } = statsRequest(user, search);
  const [{ figures, overdue, consultations }] = await Promise.all([stats.answerParts(period, scope, 'none'), workstationCheck(search)]);
  return { ...period, ...scope, ...withConsultations(figures.get(''), consultations.get('')), overdueOpen: overdue.get('') ?? 0 };
}

async function timeseries(user: AuthUser, search: URLSearchParams) {
  const { scope, period } = statsRequest(user, search);
  const [{ figures, consultations }] = await Promise.all([stats.answerParts(period, scope, 'month'), workstationCheck(search)]);
  const months = [...new Set([...figures.keys(), ...consultations.keys()])].sort();
  return { interval: 'month', ...period, ...scope, points: months.map((month) => ({ month, ...withConsultations(figures.get(month), consultations.get(month)) })) };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

const CASE_PATH = /^\/api\/v1\/cases\/([0-9a-f-]{36})$/;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://floor');
  const route = async (): Promise<[number, unknown]> => {
    if (url.pathname === '/health') return [200, { status: 'ok' }];
    const user = userFromBearer(req.headers.authorization);
    if (req.method === 'POST' && url.pathname === '/api/v1/cases') return [201, await intake(user, await readJson(req))];
    if (req.method !== 'GET') return [404, { message: 'not found' }];
    if (url.pathname === '/api/v1/cases') return [200, await list(user, url.searchParams)];
    const caseId = CASE_PATH.exec(url.pathname)?.[1];
    if (caseId) {
      const c = await oneCase(user, caseId, req.socket.remoteAddress ?? null);
      return c ? [200, c] : [404, { message: 'Case not found' }];
    }
    if (url.pathname === '/api/v1/stats/summary') return [200, await summary(user, url.searchParams)];
    if (url.pathname === '/api/v1/stats/timeseries') return [200, await timeseries(user, url.searchParams)];
    return [404, { message: 'not found' }];
  };
  route().then(
    ([status, body]) => send(res, status, body),
    (e) => send(res, (e as { status?: number }).status ?? 500, { message: (e as Error).message }),
  );
});

// The app's keep-alive settings (src/main.ts), so that both treat idle client sockets alike.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(Number(process.env.PORT ?? 3999), '127.0.0.1', () => {
  console.log(`floor listening on ${process.env.PORT ?? 3999}`);
});

const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
