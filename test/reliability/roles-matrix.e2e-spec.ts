import { Role } from '../../src/accounts-core/role.enum';
import { caseBody, caseInState } from '../utils/case-factory';
import { makeUser, makeWorkstationTeam, TestUser } from '../utils/factories';
import { createTestApp, TestApp } from '../utils/test-app';
import { Api, ApiResponse, caseWithInstallments, changedTables, fingerprint, listen, RANDOM_UUID } from './support';

/**
 * Every endpoint × every kind of user, checked against the role table of DESIGN.md:
 *  - admin: everything; union_staff: intake, assign, see the workstation's cases (all at city level);
 *    mediator: work only the cases assigned to it; court_clerk: intake court cases, see its
 *    workstation's cases, rule on confirmation requests.
 *  - A user outside a case's scope gets 404 for it, and that 404 is the very answer a random id gets.
 *  - A role that may never take an action gets 403 (outside the case's scope 403 or 404 are both
 *    fine, as long as an existing case and a random id get the same answer).
 * Where DESIGN.md is silent we follow the lifecycle file (src/case-core/case-lifecycle.ts): union staff
 * may also book sessions, add notes, record failure, withdrawal and extensions on their cases.
 */

type Actor = 'admin' | 'staffOwn' | 'staffCity' | 'staffOther' | 'mediatorAssigned' | 'mediatorUnassigned' | 'mediatorOther' | 'clerkOwn' | 'clerkOther';
const ACTORS: Actor[] = ['admin', 'staffOwn', 'staffCity', 'staffOther', 'mediatorAssigned', 'mediatorUnassigned', 'mediatorOther', 'clerkOwn', 'clerkOther'];
const IN_SCOPE = new Set<Actor>(['admin', 'staffOwn', 'staffCity', 'mediatorAssigned', 'clerkOwn']);
const ROLE_OF: Record<Actor, Role> = {
  admin: Role.Admin,
  staffOwn: Role.UnionStaff,
  staffCity: Role.UnionStaff,
  staffOther: Role.UnionStaff,
  mediatorAssigned: Role.Mediator,
  mediatorUnassigned: Role.Mediator,
  mediatorOther: Role.Mediator,
  clerkOwn: Role.CourtClerk,
  clerkOther: Role.CourtClerk,
};

type State = 'assigned' | 'in_mediation' | 'agreement_reached' | 'confirmation_requested' | 'confirmation_accepted' | 'installments';
interface Target {
  caseId: string;
  caseNumber: string;
  sessionId?: string;
  agreementId?: string;
  confirmationId?: string;
}
interface Request {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
}
interface CaseEndpoint {
  name: string;
  /** The roles DESIGN.md lets take this action (on cases in their scope). */
  roles: Role[];
  state: State;
  ok: number;
  /** The timeline event a success appends (none for reads). */
  event?: string;
  request(target: Target, ids: { mediator2: string }): Request;
  /** The same request on ids that exist nowhere. */
  random(ids: { mediator2: string }): Request;
}

const { Admin, UnionStaff, Mediator, CourtClerk } = Role;
const ALL = [Admin, UnionStaff, Mediator, CourtClerk];
const WORKERS = [Admin, UnionStaff, Mediator];
const reason = { reason: '测试' };

const CASE_ENDPOINTS: CaseEndpoint[] = [
  { name: 'GET /cases/:id', roles: ALL, state: 'assigned', ok: 200, request: (x) => ({ method: 'GET', path: `/cases/${x.caseId}` }), random: () => ({ method: 'GET', path: `/cases/${RANDOM_UUID}` }) },
  {
    name: 'GET /cases/:id/events',
    roles: ALL,
    state: 'assigned',
    ok: 200,
    request: (x) => ({ method: 'GET', path: `/cases/${x.caseId}/events` }),
    random: () => ({ method: 'GET', path: `/cases/${RANDOM_UUID}/events` }),
  },
  {
    name: 'GET /cases/:id/mediator-suggestions',
    roles: [Admin, UnionStaff],
    state: 'assigned',
    ok: 200,
    request: (x) => ({ method: 'GET', path: `/cases/${x.caseId}/mediator-suggestions` }),
    random: () => ({ method: 'GET', path: `/cases/${RANDOM_UUID}/mediator-suggestions` }),
  },
  {
    name: 'POST /cases/:id/assign',
    roles: [Admin, UnionStaff],
    state: 'assigned',
    ok: 200,
    event: 'mediator_reassigned',
    request: (x, ids) => ({ method: 'POST', path: `/cases/${x.caseId}/assign`, body: { mediatorId: ids.mediator2 } }),
    random: (ids) => ({ method: 'POST', path: `/cases/${RANDOM_UUID}/assign`, body: { mediatorId: ids.mediator2 } }),
  },
  {
    name: 'POST /cases/:id/sessions',
    roles: WORKERS,
    state: 'assigned',
    ok: 201,
    event: 'session_scheduled',
    request: (x) => ({ method: 'POST', path: `/cases/${x.caseId}/sessions`, body: { scheduledAt: new Date(Date.now() + 3 * 86400_000).toISOString(), mode: 'onsite' } }),
    random: () => ({ method: 'POST', path: `/cases/${RANDOM_UUID}/sessions`, body: { scheduledAt: new Date(Date.now() + 3 * 86400_000).toISOString(), mode: 'onsite' } }),
  },
  {
    name: 'PATCH /sessions/:id',
    roles: WORKERS,
    state: 'in_mediation',
    ok: 200,
    event: 'session_notes_updated',
    request: (x) => ({ method: 'PATCH', path: `/sessions/${x.sessionId}`, body: { notes: '补充记录' } }),
    random: () => ({ method: 'PATCH', path: `/sessions/${RANDOM_UUID}`, body: { notes: '补充记录' } }),
  },
  {
    name: 'POST /cases/:id/agreement',
    roles: [Admin, Mediator],
    state: 'in_mediation',
    ok: 201,
    event: 'agreement_recorded',
    request: (x) => ({ method: 'POST', path: `/cases/${x.caseId}/agreement`, body: { terms: '一次性支付', agreedAmount: '100.00', signedAt: new Date().toISOString(), installments: [] } }),
    random: () => ({ method: 'POST', path: `/cases/${RANDOM_UUID}/agreement`, body: { terms: '一次性支付', agreedAmount: '100.00', signedAt: new Date().toISOString(), installments: [] } }),
  },
  {
    name: 'POST /cases/:id/notes',
    roles: WORKERS,
    state: 'assigned',
    ok: 201,
    event: 'note_added',
    request: (x) => ({ method: 'POST', path: `/cases/${x.caseId}/notes`, body: { text: '电话联系' } }),
    random: () => ({ method: 'POST', path: `/cases/${RANDOM_UUID}/notes`, body: { text: '电话联系' } }),
  },
  {
    name: 'POST /cases/:id/failure',
    roles: WORKERS,
    state: 'assigned',
    ok: 200,
    event: 'case_failed',
    request: (x) => ({ method: 'POST', path: `/cases/${x.caseId}/failure`, body: reason }),
    random: () => ({ method: 'POST', path: `/cases/${RANDOM_UUID}/failure`, body: reason }),
  },
  {
    name: 'POST /cases/:id/withdrawal',
    roles: WORKERS,
    state: 'assigned',
    ok: 200,
    event: 'case_withdrawn',
    request: (x) => ({ method: 'POST', path: `/cases/${x.caseId}/withdrawal`, body: reason }),
    random: () => ({ method: 'POST', path: `/cases/${RANDOM_UUID}/withdrawal`, body: reason }),
  },
  {
    name: 'POST /cases/:id/extension',
    roles: WORKERS,
    state: 'assigned',
    ok: 200,
    event: 'deadline_extended',
    // DESIGN.md: an extension records both parties' agreement.
    request: (x) => ({ method: 'POST', path: `/cases/${x.caseId}/extension`, body: { days: 5, agreedBy: ['applicant', 'respondent'], ...reason } }),
    random: () => ({ method: 'POST', path: `/cases/${RANDOM_UUID}/extension`, body: { days: 5, agreedBy: ['applicant', 'respondent'], ...reason } }),
  },
  {
    name: 'POST /cases/:id/confirmation-request',
    roles: [Admin, Mediator],
    state: 'agreement_reached',
    ok: 201,
    event: 'confirmation_requested',
    request: (x) => ({ method: 'POST', path: `/cases/${x.caseId}/confirmation-request`, body: {} }),
    random: () => ({ method: 'POST', path: `/cases/${RANDOM_UUID}/confirmation-request`, body: {} }),
  },
  {
    name: 'POST /confirmations/:id/acceptance',
    roles: [Admin, CourtClerk],
    state: 'confirmation_requested',
    ok: 200,
    event: 'confirmation_accepted',
    request: (x) => ({ method: 'POST', path: `/confirmations/${x.confirmationId}/acceptance`, body: { decision: 'accepted', acceptanceNumber: '(2026)鄂0102民特调确9号' } }),
    random: () => ({ method: 'POST', path: `/confirmations/${RANDOM_UUID}/acceptance`, body: { decision: 'accepted', acceptanceNumber: '(2026)鄂0102民特调确9号' } }),
  },
  {
    name: 'POST /confirmations/:id/ruling',
    roles: [Admin, CourtClerk],
    // DESIGN.md: the court rules only on a request it accepted (法释〔2011〕5号 arts. 4-5).
    state: 'confirmation_accepted',
    ok: 200,
    event: 'confirmation_confirmed',
    request: (x) => ({ method: 'POST', path: `/confirmations/${x.confirmationId}/ruling`, body: { decision: 'confirmed', rulingNumber: '(2026)鄂0102民特9号' } }),
    random: () => ({ method: 'POST', path: `/confirmations/${RANDOM_UUID}/ruling`, body: { decision: 'confirmed', rulingNumber: '(2026)鄂0102民特9号' } }),
  },
  {
    name: 'POST /agreements/:id/installments/:n/payment',
    roles: [Admin, Mediator],
    state: 'installments',
    ok: 200,
    event: 'installment_paid',
    request: (x) => ({ method: 'POST', path: `/agreements/${x.agreementId}/installments/1/payment`, body: { paidAt: new Date(Date.now() - 60_000).toISOString() } }),
    random: () => ({ method: 'POST', path: `/agreements/${RANDOM_UUID}/installments/1/payment`, body: { paidAt: new Date(Date.now() - 60_000).toISOString() } }),
  },
];

/** The expected answer(s) for an actor on a case of workstation A. */
function expectedFor(endpoint: { roles: Role[]; ok: number }, actor: Actor): number[] {
  const allowed = endpoint.roles.includes(ROLE_OF[actor]);
  if (!IN_SCOPE.has(actor)) return allowed ? [404] : [403, 404];
  return allowed ? [endpoint.ok] : [403];
}

describe('reliability: roles × endpoints × workstations', () => {
  let t: TestApp;
  let api: Api;
  let teamA: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let teamB: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let users: Record<Actor, TestUser>;
  const matrix: Record<string, Partial<Record<Actor, number>>> = {};
  let cells = 0;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    api = await listen(t);
    [teamA, teamB] = await Promise.all([makeWorkstationTeam(t), makeWorkstationTeam(t)]);
    const [admin, staffCity] = await Promise.all([makeUser(t, Role.Admin, null), makeUser(t, Role.UnionStaff, null)]);
    users = {
      admin,
      staffOwn: teamA.staff,
      staffCity,
      staffOther: teamB.staff,
      mediatorAssigned: teamA.mediator,
      mediatorUnassigned: teamA.mediator2,
      mediatorOther: teamB.mediator,
      clerkOwn: teamA.clerk,
      clerkOther: teamB.clerk,
    };
  });
  afterAll(async () => {
    const header = ['endpoint', ...ACTORS].join(' | ');
    const rows = Object.entries(matrix).map(([name, byActor]) => [name, ...ACTORS.map((a) => byActor[a] ?? '')].join(' | '));
    console.log(`roles matrix: ${cells} cells checked\n${header}\n${rows.join('\n')}`);
    await t.close();
  });

  async function makeTarget(state: State): Promise<Target> {
    if (state === 'installments') {
      const { caseId, agreementId } = await caseWithInstallments(t, teamA);
      const [{ case_number }] = await t.db.query(`SELECT case_number FROM cases WHERE id = $1`, [caseId]);
      return { caseId, caseNumber: case_number, agreementId };
    }
    const c = await caseInState(t, teamA, state);
    return { caseId: c.id, caseNumber: c.caseNumber, sessionId: c.sessionId, agreementId: c.agreementId, confirmationId: c.confirmationId };
  }

  const send = (actor: Actor, r: Request): Promise<ApiResponse> => api.call(r.method, r.path, { token: users[actor].token, body: r.body });

  for (const endpoint of CASE_ENDPOINTS) {
    it(`${endpoint.name}: every role in and out of scope`, async () => {
      const ids = { mediator2: teamA.mediator2.id };
      const mismatches: string[] = [];
      let shared: Target | undefined;
      for (const actor of ACTORS) {
        const expected = expectedFor(endpoint, actor);
        const changes = expected[0] < 300 && !!endpoint.event;
        // A change gets a case of its own; refusals and reads share one.
        const target = changes || !shared ? await makeTarget(endpoint.state) : shared;
        if (!changes) shared = target;
        const before = await fingerprint(t.db);
        const res = await send(actor, endpoint.request(target, ids));
        const after = await fingerprint(t.db);
        cells += 1;
        (matrix[endpoint.name] ??= {})[actor] = res.status;
        if (!expected.includes(res.status)) {
          mismatches.push(`${actor}: expected ${expected.join(' or ')}, got ${res.status} ${res.text.slice(0, 200)}`);
          if (res.status < 300) shared = undefined;
          continue;
        }
        if (res.status >= 400) {
          expect(res.body).toMatchObject({ statusCode: res.status, error: expect.any(String), message: expect.any(String) });
          if (changedTables(before, after).length) mismatches.push(`${actor}: refused with ${res.status} but changed ${changedTables(before, after)}`);
        } else if (endpoint.event) {
          const [ev] = await t.db.query(`SELECT type, actor_id FROM case_events WHERE case_id = $1 ORDER BY id DESC LIMIT 1`, [target.caseId]);
          if (ev?.type !== endpoint.event || ev.actor_id !== users[actor].id) mismatches.push(`${actor}: succeeded but the last event is ${JSON.stringify(ev)}`);
        }
        // Nothing leaks: outside the scope, an existing case answers exactly like an id that exists nowhere.
        if (!IN_SCOPE.has(actor)) {
          const random = await send(actor, endpoint.random(ids));
          if (random.status !== res.status || JSON.stringify(random.body) !== JSON.stringify(res.body)) {
            mismatches.push(`${actor}: existing case answered ${res.status} ${res.text}, a random id ${random.status} ${random.text}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('answers users outside the scope like a random id even where an insider would get 409 (wrong state, stale version)', async () => {
    const c = await caseInState(t, teamA, 'confirmed');
    const target: Target = { caseId: c.id, caseNumber: c.caseNumber, sessionId: c.sessionId, agreementId: c.agreementId, confirmationId: c.confirmationId };
    const ids = { mediator2: teamA.mediator2.id };
    const stale = (r: Request): Request => (r.method === 'GET' ? r : { ...r, body: { ...(r.body as object), expectedVersion: 999 } });
    const mismatches: string[] = [];
    for (const endpoint of CASE_ENDPOINTS) {
      const insider = await send('admin', stale(endpoint.request(target, ids)));
      if (endpoint.event && ![404, 409].includes(insider.status)) mismatches.push(`${endpoint.name}: admin got ${insider.status}`);
      for (const actor of ACTORS.filter((a) => !IN_SCOPE.has(a))) {
        const res = await send(actor, stale(endpoint.request(target, ids)));
        const random = await send(actor, stale(endpoint.random(ids)));
        cells += 1;
        if (res.status === 409 || res.status !== random.status || res.text !== random.text) {
          mismatches.push(`${endpoint.name} ${actor}: existing ${res.status} ${res.text} / random ${random.status} ${random.text}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('GET /cases/:id shows whole identity numbers only to admins, the assigned mediator and the clerk of the workstation', async () => {
    const c = await makeTarget('assigned');
    const whole = new Set<Actor>(['admin', 'mediatorAssigned', 'clerkOwn']);
    for (const actor of [...IN_SCOPE]) {
      const res = await send(actor, { method: 'GET', path: `/cases/${c.caseId}` });
      expect(res.status).toBe(200);
      expect(res.body.applicant.idNumber).toBe(whole.has(actor) ? '420102199001011234' : '420***********1234');
      cells += 1;
    }
  });

  it('GET /cases and GET /confirmations list a case only to the users who may see it, always masked', async () => {
    const c = await makeTarget('confirmation_requested');
    for (const actor of ACTORS) {
      const list = await send(actor, { method: 'GET', path: `/cases?q=${encodeURIComponent(c.caseNumber)}` });
      expect(list.status).toBe(200);
      expect({ actor, total: list.body.total }).toEqual({ actor, total: IN_SCOPE.has(actor) ? 1 : 0 });
      if (IN_SCOPE.has(actor)) expect(list.body.items[0].applicant.idNumber).toBe('420***********1234');
      const confirmations = await send(actor, { method: 'GET', path: `/confirmations?status=pending&pageSize=100` });
      expect(confirmations.status).toBe(200);
      const ids = confirmations.body.items.map((i: { id: string }) => i.id);
      expect({ actor, listed: ids.includes(c.confirmationId) }).toEqual({ actor, listed: IN_SCOPE.has(actor) });
      // A filter naming another workstation does not widen the scope.
      const widened = await send(actor, { method: 'GET', path: `/cases?workstationId=${teamA.ws.id}&q=${encodeURIComponent(c.caseNumber)}` });
      expect({ actor, total: widened.body.total }).toEqual({ actor, total: IN_SCOPE.has(actor) ? 1 : 0 });
      (matrix['GET /cases (lists it)'] ??= {})[actor] = list.body.total;
      cells += 3;
    }
  });

  it('POST /cases: intake into workstation A by every role, and court clerks only for court cases', async () => {
    const expected: Record<Actor, number> = {
      admin: 201,
      staffOwn: 201,
      staffCity: 201,
      staffOther: 403,
      mediatorAssigned: 403,
      mediatorUnassigned: 403,
      mediatorOther: 403,
      clerkOwn: 201,
      clerkOther: 403,
    };
    const mismatches: string[] = [];
    for (const actor of ACTORS) {
      const source = ROLE_OF[actor] === Role.CourtClerk ? 'court_entrusted' : 'walk_in';
      const before = await fingerprint(t.db);
      const res = await send(actor, { method: 'POST', path: '/cases', body: caseBody(teamA.ws.id, { source }) });
      const after = await fingerprint(t.db);
      (matrix['POST /cases (ws A)'] ??= {})[actor] = res.status;
      cells += 1;
      if (res.status !== expected[actor]) mismatches.push(`${actor}: expected ${expected[actor]}, got ${res.status} ${res.text}`);
      if (res.status >= 400 && changedTables(before, after).length) mismatches.push(`${actor}: refused but changed ${changedTables(before, after)}`);
    }
    const walkInByClerk = await send('clerkOwn', { method: 'POST', path: '/cases', body: caseBody(teamA.ws.id, { source: 'walk_in' }) });
    expect(walkInByClerk.status).toBe(403);
    cells += 1;
    expect(mismatches).toEqual([]);
  });

  it('accounts: only admins create workstations and users; user and workstation lists are scoped', async () => {
    const mismatches: string[] = [];
    for (const [i, actor] of ACTORS.entries()) {
      const admin = actor === 'admin';
      const ws = await send(actor, { method: 'POST', path: '/workstations', body: { code: `RM-${i}`, name: '工作室', court: '法院', union: '工会', region: '某市' } });
      const user = await send(actor, { method: 'POST', path: '/users', body: { username: `matrix.${i}`, password: 'secret-123', displayName: '某人', role: 'mediator', workstationId: teamA.ws.id } });
      (matrix['POST /workstations'] ??= {})[actor] = ws.status;
      (matrix['POST /users'] ??= {})[actor] = user.status;
      if (ws.status !== (admin ? 201 : 403)) mismatches.push(`${actor} POST /workstations: ${ws.status}`);
      if (user.status !== (admin ? 201 : 403)) mismatches.push(`${actor} POST /users: ${user.status}`);

      const userList = await send(actor, { method: 'GET', path: `/users?workstationId=${teamA.ws.id}` });
      (matrix['GET /users?workstationId=A'] ??= {})[actor] = userList.status;
      if (ROLE_OF[actor] === Role.Mediator) {
        if (userList.status !== 403) mismatches.push(`${actor} GET /users: ${userList.status}`);
      } else {
        const seesA = IN_SCOPE.has(actor);
        const listed = (userList.body as Array<{ id: string }>).some((u) => u.id === teamA.mediator.id);
        if (userList.status !== 200 || listed !== seesA) mismatches.push(`${actor} GET /users: ${userList.status}, lists A's mediator: ${listed}`);
        expect(userList.text).not.toMatch(/password|hash/i);
      }
      const wsList = await send(actor, { method: 'GET', path: '/workstations' });
      const seesAllOrA = (wsList.body as Array<{ id: string }>).some((w) => w.id === teamA.ws.id);
      const shouldSeeA = actor === 'admin' || actor === 'staffCity' || ['staffOwn', 'mediatorAssigned', 'mediatorUnassigned', 'clerkOwn'].includes(actor);
      if (wsList.status !== 200 || seesAllOrA !== shouldSeeA) mismatches.push(`${actor} GET /workstations: ${wsList.status}, lists A: ${seesAllOrA}`);
      cells += 4;
    }
    expect(mismatches).toEqual([]);
  });

  it('statistics, CSV export and notifications: scoped per role, and out of scope looks like nothing at all', async () => {
    const c = await makeTarget('assigned'); // also gives the assigned mediator a case_assigned notification
    const [note] = await t.db.query(`SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [teamA.mediator.id]);
    expect(note).toBeDefined();
    // Whose default statistics count workstation A's cases: its own people (a mediator only its own cases).
    const countsA = new Set<Actor>(['admin', 'staffOwn', 'staffCity', 'mediatorAssigned', 'clerkOwn']);
    const mismatches: string[] = [];
    for (const actor of ACTORS) {
      const own = await send(actor, { method: 'GET', path: '/stats/summary' });
      const received = own.body?.received ?? own.body?.figures?.received;
      // A mediator's statistics are its own cases (the matrix above reassigned some to mediatorUnassigned).
      const [{ mine }] = await t.db.query(`SELECT count(*)::int AS mine FROM cases WHERE mediator_id = $1`, [users[actor].id]);
      const expectedOk = ROLE_OF[actor] === Role.Mediator ? received === mine : (received > 0) === countsA.has(actor);
      if (own.status !== 200 || typeof received !== 'number' || !expectedOk) mismatches.push(`${actor} GET /stats/summary: ${own.status} received=${received}`);
      (matrix['GET /stats/summary (counts A)'] ??= {})[actor] = received;

      // Naming workstation A explicitly: its people 200, everyone else exactly the answer for a random workstation id.
      const inA = IN_SCOPE.has(actor) || actor === 'mediatorUnassigned';
      for (const path of ['/stats/summary', '/stats/timeseries?interval=month', '/stats/breakdown?by=disputeType']) {
        const sep = path.includes('?') ? '&' : '?';
        const named = await send(actor, { method: 'GET', path: `${path}${sep}workstationId=${teamA.ws.id}` });
        const random = await send(actor, { method: 'GET', path: `${path}${sep}workstationId=${RANDOM_UUID}` });
        if (inA ? named.status !== 200 : named.status !== 404 || named.text !== random.text) mismatches.push(`${actor} ${path} ws A: ${named.status} ${named.text.slice(0, 100)} / random ${random.status}`);
        cells += 1;
      }
      const recompute = await send(actor, { method: 'POST', path: '/stats/recompute', body: { from: '2026-01-01', to: '2026-01-31', workstationId: teamA.ws.id } });
      const recomputeExpected = ROLE_OF[actor] === Role.Admin || ROLE_OF[actor] === Role.UnionStaff ? (IN_SCOPE.has(actor) ? [202] : [404]) : [403];
      (matrix['POST /stats/recompute (ws A)'] ??= {})[actor] = recompute.status;
      if (!recomputeExpected.includes(recompute.status)) mismatches.push(`${actor} POST /stats/recompute: ${recompute.status}`);

      const csv = await send(actor, { method: 'GET', path: `/cases/export.csv?q=${encodeURIComponent(c.caseNumber)}` });
      (matrix['GET /cases/export.csv (lists it)'] ??= {})[actor] = csv.status === 200 ? Number(csv.text.includes(c.caseNumber)) : csv.status;
      if (csv.status !== 200 || csv.text.includes(c.caseNumber) !== IN_SCOPE.has(actor)) mismatches.push(`${actor} export.csv: ${csv.status}, lists it: ${csv.text.includes(c.caseNumber)}`);
      if (csv.text.includes('420102199001011234')) mismatches.push(`${actor} export.csv shows a whole identity number`);

      // Another user's notification does not exist for you.
      if (actor !== 'mediatorAssigned') {
        const read = await send(actor, { method: 'POST', path: `/notifications/${note.id}/read` });
        const readRandom = await send(actor, { method: 'POST', path: `/notifications/${RANDOM_UUID}/read` });
        if (read.status !== 404 || read.text !== readRandom.text) mismatches.push(`${actor} reads another's notification: ${read.status}`);
        const list = await send(actor, { method: 'GET', path: '/notifications?pageSize=100' });
        if (list.status !== 200 || list.text.includes(note.id)) mismatches.push(`${actor} GET /notifications: ${list.status}, shows another's: ${list.text.includes(note.id)}`);
      }
      cells += 5;
    }
    const [{ read_at }] = await t.db.query(`SELECT read_at FROM notifications WHERE id = $1`, [note.id]);
    expect(read_at).toBeNull();
    expect(mismatches).toEqual([]);
  });

  it('answers 401 to every endpoint without a valid token, before looking at the case', async () => {
    const c = await makeTarget('confirmation_requested');
    const ids = { mediator2: teamA.mediator2.id };
    for (const endpoint of CASE_ENDPOINTS) {
      for (const token of [undefined, 'not-a-token', `${users.admin.token}x`]) {
        const r = endpoint.request(c, ids);
        const res = await api.call(r.method, r.path, { token, body: r.body });
        expect({ endpoint: endpoint.name, status: res.status }).toEqual({ endpoint: endpoint.name, status: 401 });
        cells += 1;
      }
    }
  });
});
