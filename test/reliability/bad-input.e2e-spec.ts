import fc from 'fast-check';
import { Role } from '../../src/accounts-core/role.enum';
import { addDays, shanghaiDate } from '../../src/common/business-time';
import { caseBody, caseInState } from '../utils/case-factory';
import { makeUser, makeWorkstationTeam, TestUser } from '../utils/factories';
import { createTestApp, TestApp } from '../utils/test-app';
import { Api, ApiResponse, caseWithInstallments, changedTables, fingerprint, listen, RANDOM_UUID } from './support';

/**
 * Bad input, generated: bodies, query strings, headers and path ids thrown at every mutating
 * endpoint (and query strings at the case list). Never a 5xx, the error shape always, and a
 * rejected request changes no row of any table.
 */

/** How many runs fast-check makes per endpoint (RELIABILITY_RUNS raises it for a longer soak). */
const RUNS = Number(process.env.RELIABILITY_RUNS ?? 150);
const BODY_LIMIT_BYTES = 256 * 1024;
/** Nesting the generators go up to (a body nested 30,000 levels is ~60 KB, under the size limit). */
const MAX_NESTING = 30_000;

jest.setTimeout(120_000);

type State = 'none' | 'registered' | 'assigned' | 'session' | 'in_mediation' | 'agreement_reached' | 'confirmation_requested' | 'installments';
interface Target {
  caseId: string;
  sessionId?: string;
  agreementId?: string;
  confirmationId?: string;
}
interface Endpoint {
  name: string;
  method: 'POST' | 'PATCH';
  state: State;
  actor: 'staff' | 'mediator' | 'clerk' | 'admin';
  /** A success uses the target up (a new one is made for the next input). */
  consumes: boolean;
  path(target: Target, id?: string, n?: string): string;
  valid(ctx: { wsId: string; mediator2: string; seq: number }): Record<string, unknown>;
}

const now = () => new Date().toISOString();
const today = () => shanghaiDate(new Date());

const ENDPOINTS: Endpoint[] = [
  { name: 'POST /cases', method: 'POST', state: 'none', actor: 'staff', consumes: false, path: () => '/cases', valid: ({ wsId }) => caseBody(wsId) },
  { name: 'POST /cases/:id/assign', method: 'POST', state: 'registered', actor: 'staff', consumes: true, path: (x, id) => `/cases/${id ?? x.caseId}/assign`, valid: ({ mediator2 }) => ({ mediatorId: mediator2 }) },
  {
    name: 'POST /cases/:id/sessions',
    method: 'POST',
    state: 'assigned',
    actor: 'mediator',
    consumes: false,
    path: (x, id) => `/cases/${id ?? x.caseId}/sessions`,
    valid: () => ({ scheduledAt: new Date(Date.now() + 2 * 86400_000).toISOString(), mode: 'onsite', location: '调解室' }),
  },
  { name: 'PATCH /sessions/:id', method: 'PATCH', state: 'session', actor: 'mediator', consumes: true, path: (x, id) => `/sessions/${id ?? x.sessionId}`, valid: () => ({ status: 'held', notes: '双方到场' }) },
  {
    name: 'POST /cases/:id/agreement',
    method: 'POST',
    state: 'in_mediation',
    actor: 'mediator',
    consumes: true,
    path: (x, id) => `/cases/${id ?? x.caseId}/agreement`,
    valid: () => ({
      terms: '分期支付',
      agreedAmount: '9000.00',
      signedAt: now(),
      installments: [
        { dueDate: addDays(today(), 10), amount: '3000.00' },
        { dueDate: addDays(today(), 40), amount: '6000.00' },
      ],
    }),
  },
  { name: 'POST /cases/:id/notes', method: 'POST', state: 'assigned', actor: 'mediator', consumes: false, path: (x, id) => `/cases/${id ?? x.caseId}/notes`, valid: () => ({ text: '电话联系', contactedParty: 'both' }) },
  { name: 'POST /cases/:id/failure', method: 'POST', state: 'assigned', actor: 'mediator', consumes: true, path: (x, id) => `/cases/${id ?? x.caseId}/failure`, valid: () => ({ reason: '调解不成' }) },
  { name: 'POST /cases/:id/withdrawal', method: 'POST', state: 'assigned', actor: 'mediator', consumes: true, path: (x, id) => `/cases/${id ?? x.caseId}/withdrawal`, valid: () => ({ reason: '撤回' }) },
  { name: 'POST /cases/:id/extension', method: 'POST', state: 'assigned', actor: 'mediator', consumes: false, path: (x, id) => `/cases/${id ?? x.caseId}/extension`, valid: () => ({ days: 1, reason: '双方同意', agreedBy: ['applicant', 'respondent'] }) },
  {
    name: 'POST /cases/:id/confirmation-request',
    method: 'POST',
    state: 'agreement_reached',
    actor: 'mediator',
    consumes: true,
    path: (x, id) => `/cases/${id ?? x.caseId}/confirmation-request`,
    valid: () => ({ appliedAt: now() }),
  },
  {
    name: 'POST /confirmations/:id/ruling',
    method: 'POST',
    state: 'confirmation_requested',
    actor: 'clerk',
    consumes: true,
    path: (x, id) => `/confirmations/${id ?? x.confirmationId}/ruling`,
    valid: () => ({ decision: 'rejected', rulingNumber: '(2026)鄂0102民特5号', reason: '违反法律规定' }),
  },
  {
    name: 'POST /agreements/:id/installments/:n/payment',
    method: 'POST',
    state: 'installments',
    actor: 'mediator',
    consumes: true,
    path: (x, id, n) => `/agreements/${id ?? x.agreementId}/installments/${n ?? '1'}/payment`,
    valid: () => ({ paidAt: now() }),
  },
  {
    name: 'POST /users',
    method: 'POST',
    state: 'none',
    actor: 'admin',
    consumes: false,
    path: () => '/users',
    valid: ({ wsId, seq }) => ({ username: `fuzz.user.${seq}`, password: 'secret-123', displayName: '某人', role: 'mediator', workstationId: wsId, phone: '13800000000' }),
  },
  {
    name: 'POST /workstations',
    method: 'POST',
    state: 'none',
    actor: 'admin',
    consumes: false,
    path: () => '/workstations',
    valid: ({ seq }) => ({ code: `FZ-${seq}`, name: '工作室', court: '法院', union: '工会', region: '某市' }),
  },
];

/** A field each endpoint cannot do without (for the __proto__ smuggling check). */
const REQUIRED_FIELD: Record<string, string | undefined> = {
  'POST /cases': 'summary',
  'POST /cases/:id/assign': 'mediatorId',
  'POST /cases/:id/sessions': 'mode',
  'POST /cases/:id/agreement': 'terms',
  'POST /cases/:id/notes': 'text',
  'POST /cases/:id/failure': 'reason',
  'POST /cases/:id/withdrawal': 'reason',
  'POST /cases/:id/extension': 'days',
  'POST /confirmations/:id/ruling': 'decision',
  'POST /agreements/:id/installments/:n/payment': 'paidAt',
  'POST /users': 'username',
  'POST /workstations': 'code',
};

// ---------- generators ----------

const printableAscii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const SQLISH = [
  "' OR '1'='1",
  "'; DROP TABLE cases; --",
  '1; SELECT pg_sleep(3)',
  "' || (SELECT password_hash FROM users LIMIT 1) || '",
  "') UNION SELECT * FROM users --",
  '$1',
  '%',
  '_',
  '\\',
  "E'\\x00'",
  '1 AND 1=1',
];
const ODD = ['', ' ', '\t\n', '\u0000', 'a\u0000b', '\u202e', '\ufeff', '𠜎𠜱', 'null', 'undefined', 'NaN', 'Infinity', '-0', '0x10', '1e309', '12500.001', '-1.00', '12,500.00', ' 12500.00', '١٢٣'];
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...SQLISH),
  fc.constantFrom(...ODD),
  fc.constantFrom('2026-02-30', '2026-13-01', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '2026-11-24T09:30:00+08:00', '2026-11-24', '1970-01-01T00:00:00Z'),
  fc.uuid(),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1000, max: 80_000 }).map((n) => '长'.repeat(n)),
);
const numbers = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER, 2 ** 31, -(2 ** 31) - 1, 12500, 12500.5));
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 2, arbitrary: numbers },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), text, { maxKeys: 3 }) },
);

/** Every path of a valid body (nested ones included), plus unknown and dangerous keys. */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...pathsOf(v, `${prefix}${k}.`)]);
}
const EXTRA_PATHS = ['expectedVersion', 'id', 'version', 'status', 'caseNumber', 'createdBy', 'role', 'isAdmin', 'passwordHash', '__proto__', 'constructor', 'prototype', 'applicant.__proto__', 'installments.0.__proto__', 'installments.7'];

type Mutation = { kind: 'set'; path: number; value: unknown } | { kind: 'delete'; path: number } | { kind: 'deep'; path: number; depth: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.nat(), value: garbage }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), path: fc.nat(), depth: fc.integer({ min: 2, max: MAX_NESTING }) }) },
);
type BodyInput = { kind: 'mutated'; mutations: Mutation[] } | { kind: 'whole'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'valid' };
const bodyInput: fc.Arbitrary<BodyInput> = fc.oneof(
  { weight: 8, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => ({ kind: 'mutated' as const, mutations })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: 'whole' as const, value })) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('{', '{"a":', '[1,2', '{"a":1}}', 'null', '"x"', '{"a":01}', '{"a":1e999}', '\u0000')).map((t) => ({ kind: 'raw' as const, text: t })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'valid' as const }) },
);
const headersInput = fc.record(
  {
    'if-match': fc.oneof(fc.nat().map(String), fc.nat().map((n) => `W/"${n}"`), printableAscii),
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'multipart/form-data; boundary=x',
      'application/xml',
    ),
    'x-forwarded-for': printableAscii,
    'content-encoding': fc.constantFrom('gzip', 'identity', 'br'),
  },
  { requiredKeys: [] },
);
const queryInput = fc.dictionary(fc.oneof(fc.constantFrom('expectedVersion', 'status', 'q', '__proto__', 'a[b]', 'page'), fc.string({ maxLength: 8 })), fc.oneof(printableAscii, text.filter((s) => s.length < 2000)), { maxKeys: 3 });
const pathIdInput = fc.option(
  fc.oneof(fc.uuid(), fc.constantFrom('1', '0', '-1', 'null', 'undefined', "'; DROP TABLE cases; --", '%00', RANDOM_UUID.toUpperCase(), `${RANDOM_UUID}x`, '00000000-0000-0000-0000-000000000000'), fc.string({ minLength: 1, maxLength: 40 })),
  { freq: 4 },
);
const nInput = fc.option(fc.oneof(fc.constantFrom('0', '-1', '2', '3', '99999999999', '1.5', '1e3', 'abc', '١', '01'), fc.string({ minLength: 1, maxLength: 12 })), { freq: 3 });

const requestInput = fc.record({ body: bodyInput, headers: headersInput, query: queryInput, pathId: pathIdInput, n: nInput });

// ---------- rendering ----------

/** Sets a dotted path, creating objects on the way; own properties always (so `__proto__` becomes a key, not a prototype). */
function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: any = root;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) {
      Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
    }
    node = node[key];
  }
  Object.defineProperty(node, keys[keys.length - 1], { value, enumerable: true, writable: true, configurable: true });
}
function deletePath(root: Record<string, unknown>, path: string): void {
  const keys = path.split('.');
  let node: any = root;
  for (const key of keys.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = node[key];
  }
  if (node && typeof node === 'object') delete node[keys[keys.length - 1]];
}
const DEEP_MARK = '\u0001DEEP\u0001';

function renderBody(valid: Record<string, unknown>, input: BodyInput): string {
  if (input.kind === 'valid') return JSON.stringify(valid);
  if (input.kind === 'whole') return JSON.stringify(input.value);
  if (input.kind === 'raw') return input.text;
  const body = structuredClone(valid);
  const paths = [...pathsOf(valid), ...EXTRA_PATHS];
  let deep = 0;
  for (const m of input.mutations) {
    const path = paths[m.path % paths.length];
    if (m.kind === 'set') setPath(body, path, m.value);
    else if (m.kind === 'delete') deletePath(body, path);
    else {
      setPath(body, path, DEEP_MARK);
      deep = m.depth;
    }
  }
  const json = JSON.stringify(body);
  return deep ? json.replace(JSON.stringify(DEEP_MARK), '['.repeat(deep) + ']'.repeat(deep)) : json;
}
const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
const encodeSegment = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return 'x';
  }
};

describe('reliability: bad input', () => {
  let t: TestApp;
  let api: Api;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let admin: TestUser;
  const stats = { tried: 0, accepted: 0, rejected: 0, byStatus: {} as Record<number, number> };
  const targets = new Map<string, Target>();
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    api = await listen(t);
    team = await makeWorkstationTeam(t);
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(async () => {
    console.log(`bad input: ${stats.tried} inputs tried, ${stats.accepted} accepted, ${stats.rejected} rejected; by status ${JSON.stringify(stats.byStatus)}`);
    await t.close();
  });

  const tokenOf = (actor: Endpoint['actor']) => (actor === 'admin' ? admin : team[actor]).token;

  async function makeTarget(state: State): Promise<Target> {
    if (state === 'none') return { caseId: RANDOM_UUID };
    if (state === 'installments') return { ...(await caseWithInstallments(t, team)) };
    if (state === 'session') {
      const c = await caseInState(t, team, 'assigned');
      const res = await api.post(`/cases/${c.id}/sessions`, { token: team.mediator.token, body: { scheduledAt: new Date(Date.now() + 86400_000).toISOString(), mode: 'video' } });
      if (res.status !== 201) throw new Error(`session: ${res.status} ${res.text}`);
      return { caseId: c.id, sessionId: res.body.id };
    }
    const c = await caseInState(t, team, state);
    return { caseId: c.id, sessionId: c.sessionId, agreementId: c.agreementId, confirmationId: c.confirmationId };
  }
  async function targetFor(e: Endpoint): Promise<Target> {
    let target = targets.get(e.name);
    if (!target) targets.set(e.name, (target = await makeTarget(e.state)));
    return target;
  }

  /** Sends one request; a 5xx fails, a refusal must leave every table as it was. */
  async function sendChecked(e: Endpoint, path: string, raw: string, headers: Record<string, string>): Promise<ApiResponse> {
    const before = await fingerprint(t.db);
    const res = await api.call(e.method, path, { token: tokenOf(e.actor), raw, headers });
    stats.tried += 1;
    stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
    const described = `${e.method} ${clip(path)} ${JSON.stringify(headers)} ${clip(raw)}`;
    if (res.status >= 500) throw new Error(`${res.status} for ${described}\n-> ${res.text}`);
    if (res.status >= 400) {
      stats.rejected += 1;
      // 431 (URL and headers over 16 KB) comes from Node's HTTP parser, before the app: no JSON body there.
      const shaped = res.status === 431 || (res.body?.statusCode === res.status && typeof res.body?.message === 'string');
      if (!shaped) throw new Error(`bad error shape ${res.text} for ${described}`);
      const changed = changedTables(before, await fingerprint(t.db));
      if (changed.length) throw new Error(`rejected with ${res.status} but changed ${changed.join(', ')}: ${described}`);
    } else {
      stats.accepted += 1;
      if (e.consumes) targets.delete(e.name);
    }
    return res;
  }

  for (const e of ENDPOINTS) {
    it(`${e.name}: generated bodies, headers, query strings and ids never give a 5xx or a half-write`, async () => {
      await fc.assert(
        fc.asyncProperty(requestInput, async (input) => {
          const target = await targetFor(e);
          const valid = e.valid({ wsId: team.ws.id, mediator2: team.mediator2.id, seq: ++seq });
          const raw = renderBody(valid, input.body);
          const query = new URLSearchParams(input.query).toString();
          const path = e.path(target, input.pathId === null ? undefined : encodeSegment(input.pathId), input.n === null ? undefined : encodeSegment(input.n)) + (query ? `?${query}` : '');
          const headers = { ...(input.headers as Record<string, string>) };
          // A mistaken If-Match is its own 400; keep most requests about the body.
          if (headers['if-match'] !== undefined && seq % 3) delete headers['if-match'];
          await sendChecked(e, path, raw, headers);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('GET /cases and GET /cases/export.csv: generated query strings answer 200 or 400, never more than 100 items, never a whole identity number', async () => {
    const listKeys = ['status', 'workstationId', 'mediatorId', 'disputeType', 'overdue', 'q', 'receivedFrom', 'receivedTo', 'page', 'pageSize'];
    const value = fc.oneof(
      printableAscii,
      text.filter((s) => s.length < 3000),
      fc.constantFrom('registered', 'assigned,in_mediation', ',,,', 'true', 'false', '1', '100', '101', '0', '-1', '99999999999', '1e2', team?.ws?.id ?? RANDOM_UUID),
      fc.uuid(),
    );
    const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...listKeys) }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'status[]', 'q[0]')) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 5 }), fc.constantFrom('staff', 'mediator', 'clerk', 'admin') as fc.Arbitrary<Endpoint['actor']>, fc.boolean(), async (pairs, actor, csv) => {
        const query = new URLSearchParams(pairs.filter(([k]) => !csv || (k !== 'page' && k !== 'pageSize'))).toString();
        const path = `${csv ? '/cases/export.csv' : '/cases'}?${query}`;
        const res = await api.get(path, { token: tokenOf(actor) });
        stats.tried += 1;
        stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
        if (![200, 400, 431].includes(res.status)) throw new Error(`${res.status} for GET ${clip(path)}\n-> ${res.text}`);
        if (csv) {
          if (res.status === 200) expect(res.text).not.toMatch(/420102199001011234/);
          else if (res.status === 400) expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        } else if (res.status === 200) {
          expect(res.body.pageSize).toBeLessThanOrEqual(100);
          expect(res.body.items.length).toBeLessThanOrEqual(res.body.pageSize);
          for (const item of res.body.items) expect(item.applicant.idNumber ?? '').not.toMatch(/^\d{17}[\dX]$/);
        } else if (res.status === 400) {
          expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('rejects money sent as a JSON number (or any malformed amount) with 400 naming the field', async () => {
    const amounts: unknown[] = [12500, 12500.5, 0, 1e21, -1, '12500.001', '-1.00', '1e5', ' 12500.00', '12,500.00', '0x10', '١٢٣', '9999999999999.00', '', '.50', '12500.', 'NaN', null, true, ['12500.00'], { value: '12500.00' }];
    const agreement = ENDPOINTS.find((e) => e.name === 'POST /cases/:id/agreement')!;
    const intake = ENDPOINTS.find((e) => e.name === 'POST /cases')!;
    for (const amount of amounts) {
      const cases: Array<[Endpoint, string, Record<string, unknown>]> = [
        [intake, 'claimAmount', { ...caseBody(team.ws.id), claimAmount: amount }],
        [agreement, 'agreedAmount', { ...agreement.valid({ wsId: team.ws.id, mediator2: '', seq }), agreedAmount: amount }],
        [agreement, 'installments.0.amount', { ...agreement.valid({ wsId: team.ws.id, mediator2: '', seq }), installments: [{ dueDate: addDays(today(), 5), amount }] }],
      ];
      for (const [e, field, body] of cases) {
        const res = await sendChecked(e, e.path(await targetFor(e)), JSON.stringify(body), {});
        expect({ field, amount, status: res.status }).toEqual({ field, amount, status: 400 });
        expect(JSON.stringify(res.body.details ?? res.body.message)).toContain(field);
      }
    }
  });

  it('answers 413 to a body over 256kb at every mutating endpoint, and writes nothing', async () => {
    for (const e of ENDPOINTS) {
      const valid = e.valid({ wsId: team.ws.id, mediator2: team.mediator2.id, seq: ++seq });
      for (const size of [BODY_LIMIT_BYTES + 1024, 2 * 1024 * 1024]) {
        const key = Object.keys(valid).find((k) => typeof valid[k] === 'string')!;
        const raw = JSON.stringify({ ...valid, [key]: 'x'.repeat(size) });
        const res = await sendChecked(e, e.path(await targetFor(e)), raw, {});
        expect({ endpoint: e.name, status: res.status }).toEqual({ endpoint: e.name, status: 413 });
      }
    }
  });

  it('never lets prototype-pollution keys pollute, smuggle a field or pass as known fields', async () => {
    const withKey = (key: string, value: unknown, v: object) => `{${JSON.stringify(key)}:${JSON.stringify(value)},${JSON.stringify(v).slice(1)}`;
    for (const e of ENDPOINTS) {
      const valid = () => e.valid({ wsId: team.ws.id, mediator2: team.mediator2.id, seq: ++seq });
      // Refused with a 400 naming the key, like any unknown field (sendChecked: nothing changed).
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const res = await sendChecked(e, e.path(await targetFor(e)), withKey(key, { prototype: { isAdmin: true }, isAdmin: true, role: 'admin' }, valid()), {});
        expect({ endpoint: e.name, key, status: res.status, message: res.body.message }).toEqual({ endpoint: e.name, key, status: 400, message: `${key}: is not an allowed field name` });
      }
      // A required field given only under __proto__ is still missing.
      const body = valid();
      const required = REQUIRED_FIELD[e.name];
      if (required) {
        const { [required]: smuggled, ...rest } = body;
        const res = await sendChecked(e, e.path(await targetFor(e)), withKey('__proto__', { [required]: smuggled }, rest), {});
        expect({ endpoint: e.name, required, status: res.status }).toEqual({ endpoint: e.name, required, status: 400 });
      }
      // Nested __proto__ keys are refused too (the second body only where the endpoint has such a field).
      const nested = JSON.stringify(valid()).replace(/"(name|amount|text|reason)":/, '"__proto__":{"polluted":1},"$1":');
      for (const raw of [withKey('__proto__', { isAdmin: true, role: 'admin', polluted: 1 }, valid()), ...(nested.includes('__proto__') ? [nested] : [])]) {
        const res = await sendChecked(e, e.path(await targetFor(e)), raw, {});
        expect({ endpoint: e.name, status: res.status }).toEqual({ endpoint: e.name, status: 400 });
      }
    }
    // An admin-role smuggled under __proto__ does not make the new user an admin.
    const res = await sendChecked(ENDPOINTS.find((x) => x.name === 'POST /users')!, '/users', withKey('__proto__', { role: 'admin' }, { username: `proto.${++seq}`, password: 'secret-123', displayName: 'x', role: 'mediator', workstationId: team.ws.id }), {});
    expect(res.status).toBe(400);
    const probe: Record<string, unknown> = {};
    expect([probe.isAdmin, probe.role, probe.polluted]).toEqual([undefined, undefined, undefined]);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toEqual(expect.arrayContaining(['isAdmin', 'polluted']));
  });

  it('rejects unknown fields and wrong types everywhere with 400 naming the field', async () => {
    for (const e of ENDPOINTS) {
      const valid = e.valid({ wsId: team.ws.id, mediator2: team.mediator2.id, seq: ++seq });
      for (const [label, body] of [
        ['unknown field', { ...valid, isAdmin: true }],
        ['expectedVersion as a string', { ...valid, expectedVersion: '1' }],
        ['array body', [valid]],
      ] as const) {
        const res = await sendChecked(e, e.path(await targetFor(e)), JSON.stringify(body), {});
        expect({ endpoint: e.name, label, status: res.status }).toEqual({ endpoint: e.name, label, status: 400 });
      }
    }
  });

  // Regression (found by this suite, fixed in 708a5d8): deep nesting overflowed the stack while transforming the DTO.
  it('rejects a body nested thousands of levels deep with 400, not a 500', async () => {
    const workstations = ENDPOINTS.find((x) => x.name === 'POST /workstations')!;
    const cases = ENDPOINTS.find((x) => x.name === 'POST /cases')!;
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const results: Array<{ endpoint: string; depth: number; status: number }> = [];
    for (const depth of [3000, 10_000]) {
      for (const [e, raw] of [
        [workstations, `{"code":"DEEP-${depth}","name":${nested(depth)},"court":"c","union":"u","region":"r"}`],
        [cases, JSON.stringify(caseBody(team.ws.id)).replace('"summary":', `"summary":${nested(depth)},"x":`)],
      ] as const) {
        const before = await fingerprint(t.db);
        const res = await api.call(e.method, e.path({ caseId: RANDOM_UUID }), { token: tokenOf(e.actor), raw });
        stats.tried += 1;
        expect(changedTables(before, await fingerprint(t.db))).toEqual([]);
        results.push({ endpoint: e.name, depth, status: res.status });
      }
    }
    expect(results.filter((r) => r.status !== 400)).toEqual([]);
  });

  // Regression (found by this suite, fixed in 708a5d8): PostgreSQL refuses 0x00 in text, which was a 500.
  it('rejects a NUL character (\\u0000) in a text field or in q with 400, not a 500', async () => {
    const results: Array<{ endpoint: string; field: string; status: number }> = [];
    for (const e of ENDPOINTS) {
      const valid = e.valid({ wsId: team.ws.id, mediator2: team.mediator2.id, seq: ++seq });
      const field = ['summary', 'text', 'reason', 'terms', 'notes', 'location', 'rulingNumber', 'displayName', 'name'].find((k) => typeof valid[k] === 'string');
      if (!field) continue;
      const before = await fingerprint(t.db);
      const target = await targetFor(e);
      const res = await api.call(e.method, e.path(target), { token: tokenOf(e.actor), body: { ...valid, [field]: 'a\u0000b' } });
      stats.tried += 1;
      if (res.status < 300) targets.delete(e.name);
      else expect(changedTables(before, await fingerprint(t.db))).toEqual([]);
      results.push({ endpoint: e.name, field, status: res.status });
    }
    for (const path of ['/cases?q=a%00b', '/cases/export.csv?q=a%00b']) {
      const list = await api.get(path, { token: team.staff.token });
      stats.tried += 1;
      results.push({ endpoint: `GET ${path.split('?')[0]}`, field: 'q', status: list.status });
    }
    expect(results.filter((r) => r.status !== 400)).toEqual([]);
  });
});
