/**
 * The floor: the benchmarked endpoints as a bare node:http server over raw `pg`, doing the same
 * SQL as the app (the case filter, the statistics SQL and the reminder plans are the app's own
 * pure functions; intake is the app's one statement, built as the app builds it; an answer showing an identity number whole writes its audit row, as src/audit does).
 * No framework, no ORM, no validation, no token check (the bearer token is only decoded
 * for the user's scope). What the app costs above this is the price of everything else.
 *
 *   PORT=... DATABASE_URL=... node dist/bench/floor-server.js
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../src/accounts-core/auth-user';
import { canSeeIdentity } from '../src/accounts-core/scope';
import { CASE_READ_SQL } from '../src/case-core/case-records-sql';
import { shanghaiYear } from '../src/common/business-time';
import type { CaseSource } from '../src/case-core/case-lifecycle';
import { deadlineDateOf, mediationDeadline } from '../src/case-core/statutory-periods';
import { rowsOfBatch } from '../src/common/kept-statements';
import { preparedName } from '../src/common/prepared-statements';
import type { Case } from '../src/case-core/case.entity';
import { ENTITIES } from '../src/database/entities';
import { partiesOf } from '../src/cases/case-parties';
import { intakeStatement } from '../src/cases/intake-statement';
import { normalizeMoney } from '../src/common/money';
import { mediationPlans, plansToWrite } from '../src/reminders/reminder-registry';
import { Executor, listQueries, readGramShares, Rows, Runner, statsRepositoryOver, statsRequest, userFromBearer } from './lib/app-sql';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 20), application_name: 'bench-floor' });

const rowsOf = (result: QueryResult | QueryResult[]) => (Array.isArray(result) ? result[result.length - 1].rows : result.rows);
const query: Executor = async (sql, params) => rowsOf(await pool.query(sql, params));
/** A pooled connection taken at the first statement, as a TypeORM QueryRunner does. */
const runner = (): Runner => {
  let client: Promise<PoolClient> | undefined;
  return {
    query: async (sql, params) => rowsOf((await (await (client ??= pool.connect())).query(sql, params)) as QueryResult | QueryResult[]),
    // As PgReads' batch: one text, kept statements prepared once per connection and sent as EXECUTE.
    batch: async (statements) => (await rowsOfBatch(await (client ??= pool.connect()), statements)) as Rows[],
    release: async () => {
      if (client) (await client).release();
    },
  };
};
const stats = statsRepositoryOver(query, runner);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the floor reads request bodies as loosely as the app's DTOs do
async function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The app's intake statement (src/cases/intake-statement.ts), built from the entities' metadata as the app builds it (no connection). */
const intakeSql = (async () => {
  const dataSource = new DataSource({ type: 'postgres', entities: ENTITIES });
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return intakeStatement(dataSource);
})();

/**
 * Intake: the app's one statement (CaseIntakeService.create: the numbered case, its timeline event
 * with the webhook outbox rows, its reminders, the idempotency mark), with the same parameters,
 * as the same named statement.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see readJson
async function intake(user: AuthUser, body: Record<string, any>) {
  const { sql, params } = await intakeSql;
  const now = new Date();
  const receivedAt = now;
  const deadlineAt = mediationDeadline({ source: body.source as CaseSource, receivedAt });
  const parties = partiesOf(body.applicant, body.respondent);
  const entity: Case = {
    id: randomUUID(), caseNumber: '', workstationId: body.workstationId, source: body.source, courtCaseNumber: body.courtCaseNumber ?? null,
    simpleProcedure: body.simpleProcedure ?? false, disputeType: body.disputeType, status: 'registered', summary: body.summary, claimAmount: normalizeMoney(body.claimAmount),
    workerCount: body.workerCount ?? 1, ...parties, representatives: null, handOff: null, courtOutcome: null, courtDocumentNumber: null, courtOutcomeDate: null,
    voidedAt: null, voidReason: null, confirmationWaivedAt: null, mediatorId: null, receivedAt, deadlineAt, extensionDays: 0, overdue: false, concludedAt: null,
    outcomeReason: null, createdBy: user.id, version: 1, createdAt: now, updatedAt: now,
  };
  const values = params(entity, {
    year: shanghaiYear(receivedAt),
    event: {
      type: 'case_registered', actorId: user.id, at: now, before: null,
      after: { status: 'registered', source: body.source, disputeType: body.disputeType, claimAmount: entity.claimAmount, deadlineAt, deadlineDate: deadlineDateOf(deadlineAt), applicantKind: parties.applicantKind },
    },
    plans: plansToWrite(mediationPlans(deadlineAt), now),
    idempotency: [null, null],
  });
  const { rows } = await pool.query({ name: preparedName(sql), text: sql, values });
  if (!rows.length) throw Object.assign(new Error('workstationId does not exist'), { status: 400 });
  return { ...body, id: entity.id, caseNumber: rows[0].case_number, status: 'registered', deadlineAt };
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
