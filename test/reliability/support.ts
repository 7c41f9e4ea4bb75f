import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { TestApp } from '../utils/test-app';

/**
 * Shared pieces of the reliability suite: a fetch-based client against a listening app (so that
 * latency can be measured and requests can time out), and a fingerprint of every table.
 */

export interface ApiResponse {
  status: number;
  body: any;
  text: string;
  ms: number;
  headers?: Record<string, string>;
}

export interface CallOptions {
  token?: string;
  /** Serialized as JSON. */
  body?: unknown;
  /** Sent as is (with content-type application/json unless headers say otherwise). */
  raw?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** A small HTTP client; a request that does not answer within timeoutMs rejects. */
export class Api {
  constructor(readonly base: string) {}

  async call(method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    Object.assign(headers, opts.headers);
    const started = performance.now();
    const res = await fetch(this.base + path, { method, headers, body: payload, signal: AbortSignal.timeout(opts.timeoutMs ?? 15000) });
    const text = await res.text();
    const ms = performance.now() - started;
    let body: any = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, ms, headers: Object.fromEntries(res.headers) };
  }

  get = (path: string, opts?: CallOptions) => this.call('GET', path, opts);
  post = (path: string, opts?: CallOptions) => this.call('POST', path, opts);
  patch = (path: string, opts?: CallOptions) => this.call('PATCH', path, opts);
}

/** Makes the in-process test app listen on a free loopback port. */
export async function listen(t: TestApp): Promise<Api> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return new Api(`http://127.0.0.1:${port}/api/v1`);
}

const tableLists = new WeakMap<DataSource, Promise<string[]>>();

/**
 * A fingerprint of every row of every table (row count and an md5 of the rows' text), so that
 * "a rejected request changed nothing" is checked on the whole database, not on a few columns.
 * Cheap on the small databases of these tests.
 */
export async function fingerprint(db: DataSource): Promise<Record<string, string>> {
  let tables = tableLists.get(db);
  if (!tables) {
    tables = db
      .query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`)
      .then((rows: Array<{ table_name: string }>) => rows.map((r) => r.table_name));
    tableLists.set(db, tables);
  }
  const names = await tables;
  const sql = names
    .map((name) => `SELECT '${name}' AS t, count(*)::text || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS f FROM "${name}" x`)
    .join(' UNION ALL ');
  const rows: Array<{ t: string; f: string }> = await db.query(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.f]));
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const isoIn = (ms: number, from = Date.now()) => new Date(from + ms).toISOString();

/** A uuid no row has. */
export const RANDOM_UUID = '5f0c3a4e-8d1b-4c2a-9e3f-7a6b5c4d3e2f';

/** Every error answers {statusCode, error, message, details?} with statusCode equal to the HTTP status. */
export function expectErrorShape(res: ApiResponse): void {
  expect(res.body).toEqual(expect.objectContaining({ statusCode: res.status, error: expect.any(String), message: expect.any(String) }));
  expect(res.text).not.toMatch(/\n\s+at .+\.(js|ts):\d+/);
}

export interface Team {
  ws: { id: string; code: string };
  staff: { id: string; token: string };
  mediator: { id: string; token: string };
  mediator2: { id: string; token: string };
  clerk: { id: string; token: string };
}

/** A case with an agreement of two installments (due in 10 and 40 days), signed an hour ago by the team's mediator. */
export async function caseWithInstallments(t: TestApp, team: Team): Promise<{ caseId: string; agreementId: string }> {
  const { caseInState } = await import('../utils/case-factory');
  const c = await caseInState(t, team as never, 'in_mediation');
  const { shanghaiDate, addDays } = await import('../../src/common/business-time');
  const today = shanghaiDate(new Date());
  const res = await t.http
    .post(`/api/v1/cases/${c.id}/agreement`)
    .set({ Authorization: `Bearer ${team.mediator.token}` })
    .send({
      terms: '分两期支付',
      agreedAmount: '9000.00',
      signedAt: new Date(Date.now() - 600_000).toISOString(),
      installments: [
        { dueDate: addDays(today, 10), amount: '3000.00' },
        { dueDate: addDays(today, 40), amount: '6000.00' },
      ],
    });
  if (res.status !== 201) throw new Error(`agreement failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { caseId: c.id, agreementId: res.body.agreement.id };
}
