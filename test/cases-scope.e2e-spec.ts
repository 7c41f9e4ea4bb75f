import { Role } from '../src/accounts-core/role.enum';
import { PgReads } from '../src/common/pg-reads';
import { createTestApp, TestApp } from './utils/test-app';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { caseBody, caseInState, createCase } from './utils/case-factory';

type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;
const api = (path: string) => `/api/v1${path}`;

describe('case scope, listing and input (e2e)', () => {
  let t: TestApp;
  let a: Team;
  let b: Team;
  let cityStaff: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    a = await makeWorkstationTeam(t);
    b = await makeWorkstationTeam(t);
    cityStaff = await makeUser(t, Role.UnionStaff, null);
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(() => t.close());

  describe("cannot touch another workstation's case", () => {
    let caseOfB: Awaited<ReturnType<typeof caseInState>>;
    beforeAll(async () => {
      caseOfB = await caseInState(t, b, 'confirmation_requested');
    });

    it('answers 404 (not 403) to users of another workstation, as for a case that does not exist', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      for (const user of [a.staff, a.mediator, a.clerk]) {
        const res = await t.http.get(api(`/cases/${caseOfB.id}`)).set(bearer(user)).expect(404);
        const none = await t.http.get(api(`/cases/${missing}`)).set(bearer(user)).expect(404);
        expect(res.body).toEqual(none.body);
        await t.http.get(api(`/cases/${caseOfB.id}/events`)).set(bearer(user)).expect(404);
      }
      await t.http.post(api(`/cases/${caseOfB.id}/failure`)).set(bearer(a.mediator)).send({ reason: 'x' }).expect(404);
      await t.http.post(api(`/cases/${caseOfB.id}/notes`)).set(bearer(a.mediator)).send({ text: 'x' }).expect(404);
      await t.http.get(api(`/cases/${caseOfB.id}/mediator-suggestions`)).set(bearer(a.staff)).expect(404);
      await t.http.post(api(`/confirmations/${caseOfB.confirmationId}/ruling`)).set(bearer(a.clerk)).send({ decision: 'confirmed', rulingNumber: 'X' }).expect(404);
      await t.http.patch(api(`/sessions/${caseOfB.sessionId}`)).set(bearer(a.mediator)).send({ notes: 'x' }).expect(404);
      await t.http.post(api(`/agreements/${caseOfB.agreementId}/installments/1/payment`)).set(bearer(a.mediator)).send({ paidAt: new Date().toISOString() }).expect(404);
      const [row] = await t.db.query('SELECT status, version FROM cases WHERE id = $1', [caseOfB.id]);
      expect(row.status).toBe('confirmation_requested');
    });

    it("does not let staff or clerks take in cases for another workstation", async () => {
      await t.http.post(api('/cases')).set(bearer(a.staff)).send(caseBody(b.ws.id)).expect(403);
      await t.http.post(api('/cases')).set(bearer(a.clerk)).send(caseBody(b.ws.id, { source: 'court_entrusted' })).expect(403);
      await t.http.post(api('/cases')).set(bearer(a.clerk)).send(caseBody(a.ws.id, { source: 'walk_in' })).expect(403);
      await t.http.post(api('/cases')).set(bearer(a.mediator)).send(caseBody(a.ws.id)).expect(403);
      await t.http.post(api('/cases')).set(bearer(a.clerk)).send(caseBody(a.ws.id, { source: 'court_entrusted' })).expect(201);
      await t.http.post(api('/cases')).set(bearer(cityStaff)).send(caseBody(b.ws.id)).expect(201);
    });

    it('keeps a mediator out of cases not assigned to them, even in their workstation', async () => {
      const c = await caseInState(t, a, 'assigned');
      await t.http.get(api(`/cases/${c.id}`)).set(bearer(a.mediator2)).expect(404);
      await t.http.post(api(`/cases/${c.id}/sessions`)).set(bearer(a.mediator2)).send({ scheduledAt: new Date(Date.now() + 86400_000).toISOString(), mode: 'phone' }).expect(404);
      // Reassigned: the old mediator loses the case, the new one gets it.
      await t.http.post(api(`/cases/${c.id}/assign`)).set(bearer(a.staff)).send({ mediatorId: a.mediator2.id }).expect(200);
      await t.http.get(api(`/cases/${c.id}`)).set(bearer(a.mediator)).expect(404);
      const now = await t.http.get(api(`/cases/${c.id}`)).set(bearer(a.mediator2)).expect(200);
      expect(now.body).toMatchObject({ status: 'assigned', mediatorId: a.mediator2.id });
      const events = await t.http.get(api(`/cases/${c.id}/events`)).set(bearer(a.staff)).expect(200);
      expect(events.body.at(-1)).toMatchObject({ type: 'mediator_reassigned', before: { mediatorId: a.mediator.id }, after: { mediatorId: a.mediator2.id } });
    });

    it('lets city-level union staff and admins see every workstation', async () => {
      for (const user of [cityStaff, admin]) await t.http.get(api(`/cases/${caseOfB.id}`)).set(bearer(user)).expect(200);
    });
  });

  describe('identity numbers', () => {
    it('are whole only for the assigned mediator, the workstation clerk and admins; masked in lists', async () => {
      const c = await caseInState(t, a, 'assigned');
      const whole = '420102199001011234';
      const masked = '420***********1234';
      const idOf = async (u: TestUser) => (await t.http.get(api(`/cases/${c.id}`)).set(bearer(u)).expect(200)).body.applicant.idNumber;
      expect(await idOf(a.mediator)).toBe(whole);
      expect(await idOf(a.clerk)).toBe(whole);
      expect(await idOf(admin)).toBe(whole);
      expect(await idOf(a.staff)).toBe(masked);
      expect(await idOf(cityStaff)).toBe(masked);
      const list = await t.http.get(api(`/cases?q=${encodeURIComponent(c.caseNumber)}`)).set(bearer(admin)).expect(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0].applicant.idNumber).toBe(masked);
    });
  });

  describe('listing', () => {
    let team: Team;
    beforeAll(async () => {
      team = await makeWorkstationTeam(t);
      const base = Date.parse('2026-06-01T04:00:00Z');
      for (let i = 0; i < 25; i++) {
        await createCase(t, team.staff, team.ws.id, {
          receivedAt: new Date(base + i * 86400_000).toISOString(),
          disputeType: i % 2 ? 'dismissal' : 'wage_arrears',
          applicant: { name: i === 7 ? '欧阳娜娜' : `工人${i}` },
        });
      }
      await caseInState(t, team, 'assigned', { receivedAt: new Date(base - 86400_000).toISOString() });
    });

    it('pages in a stable order, newest first, scoped to the workstation', async () => {
      const seen: string[] = [];
      let total = 0;
      for (let page = 1; page <= 3; page++) {
        const res = await t.http.get(api(`/cases?page=${page}&pageSize=10`)).set(bearer(team.staff)).expect(200);
        expect(res.body).toMatchObject({ page, pageSize: 10 });
        total = res.body.total;
        seen.push(...res.body.items.map((c: { id: string }) => c.id));
        for (const c of res.body.items) expect(c.workstationId).toBe(team.ws.id);
      }
      expect(total).toBe(26);
      expect(new Set(seen).size).toBe(26);
      const all = await t.http.get(api('/cases?pageSize=100')).set(bearer(team.staff)).expect(200);
      const times = all.body.items.map((c: { receivedAt: string }) => Date.parse(c.receivedAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    it('reads a page and its total in one statement, also past the last page and from the counters', async () => {
      const reads = t.app.get(PgReads);
      // The list reads its rows as arrays (PgReads.arrays); a second statement would come either way.
      const rows = jest.spyOn(reads, 'rows');
      const arrays = jest.spyOn(reads, 'arrays');
      const caseStatements = () => [...rows.mock.calls, ...arrays.mock.calls].filter(([sql]) => /FROM cases c/.test(sql));
      try {
        for (const [query, total, items] of [
          ['pageSize=10&page=2', 26, 10],
          ['status=registered,assigned&page=9', 26, 0],
          [`mediatorId=${team.mediator.id}`, 1, 1],
          [`q=${encodeURIComponent('欧阳')}`, 1, 1],
        ] as const) {
          rows.mockClear();
          arrays.mockClear();
          const res = await t.http.get(api(`/cases?${query}`)).set(bearer(team.staff)).expect(200);
          expect(res.body.total).toBe(total);
          expect(res.body.items).toHaveLength(items);
          expect(res.body.items.every((c: Record<string, unknown>) => !('__total' in c))).toBe(true);
          expect(caseStatements()).toHaveLength(1);
        }
      } finally {
        rows.mockRestore();
        arrays.mockRestore();
      }
    });

    it('filters by status, dispute type, mediator, text and received period', async () => {
      const q = (s: string) => t.http.get(api(`/cases?${s}`)).set(bearer(team.staff)).expect(200);
      expect((await q('status=assigned')).body.total).toBe(1);
      expect((await q('status=registered,assigned')).body.total).toBe(26);
      expect((await q('disputeType=dismissal')).body.total).toBe(12);
      expect((await q(`mediatorId=${team.mediator.id}`)).body.total).toBe(1);
      expect((await q(`q=${encodeURIComponent('欧阳')}`)).body.items.map((c: any) => c.applicant.name)).toEqual(['欧阳娜娜']);
      expect((await q(`q=${encodeURIComponent('100%_')}`)).body.total).toBe(0);
      expect((await q('receivedFrom=2026-06-01&receivedTo=2026-06-10')).body.total).toBe(10);
      expect((await q('overdue=true')).body.total).toBe(0);
    });

    it('gives the same exact totals from the counters as by counting rows', async () => {
      const q = async (s: string) => (await t.http.get(api(`/cases?${s}`)).set(bearer(team.staff)).expect(200)).body.total;
      // receivedFrom far in the past forces a row count; without it the total comes from case_counts.
      const far = 'receivedFrom=2000-01-01';
      for (const filter of ['', 'status=assigned', 'status=registered,assigned', 'disputeType=dismissal', 'status=registered&disputeType=wage_arrears']) {
        expect({ filter, total: await q(filter) }).toEqual({ filter, total: await q([filter, far].filter(Boolean).join('&')) });
      }
      const [{ drift }] = await t.db.query(
        `SELECT count(*)::int AS drift FROM (SELECT workstation_id, status, dispute_type, count(*) AS n FROM cases GROUP BY 1, 2, 3) actual
           FULL JOIN case_counts k USING (workstation_id, status, dispute_type) WHERE coalesce(actual.n, 0) <> coalesce(k.n, 0)`,
      );
      expect(drift).toBe(0);
    });

    it('finds a case by (the start of) its number', async () => {
      const all = (await t.http.get(api('/cases?pageSize=100')).set(bearer(team.staff)).expect(200)).body.items;
      const target = all[5].caseNumber as string;
      const exact = await t.http.get(api(`/cases?q=${target}`)).set(bearer(team.staff)).expect(200);
      expect(exact.body.items.map((c: { caseNumber: string }) => c.caseNumber)).toEqual([target]);
      const prefix = await t.http.get(api(`/cases?q=${target.slice(0, -2).toLowerCase()}`)).set(bearer(team.staff)).expect(200);
      expect(prefix.body.items.map((c: { caseNumber: string }) => c.caseNumber)).toContain(target);
    });

    it('pages through the first 10,000 cases only', async () => {
      await t.http.get(api('/cases?page=100&pageSize=100')).set(bearer(team.staff)).expect(200);
      const res = await t.http.get(api('/cases?page=101&pageSize=100')).set(bearer(team.staff)).expect(400);
      expect(res.body.message).toMatch(/CSV export/);
    });

    it('shows a mediator only their own cases in the list', async () => {
      const res = await t.http.get(api('/cases?pageSize=100')).set(bearer(team.mediator)).expect(200);
      expect(res.body.total).toBe(1);
      expect(res.body.items.every((c: { mediatorId: string }) => c.mediatorId === team.mediator.id)).toBe(true);
      const other = await t.http.get(api(`/cases?workstationId=${a.ws.id}`)).set(bearer(team.staff)).expect(200);
      expect(other.body.total).toBe(0);
    });

    it('rejects bad paging and filters with 400', async () => {
      for (const qs of ['pageSize=101', 'page=0', 'pageSize=abc', 'status=closed', 'overdue=maybe', 'receivedFrom=yesterday', 'mediatorId=42', 'sort=id']) {
        const res = await t.http.get(api(`/cases?${qs}`)).set(bearer(team.staff));
        expect({ qs, status: res.status }).toEqual({ qs, status: 400 });
      }
    });
  });

  describe('bad input changes nothing', () => {
    const fingerprint = async () =>
      (await t.db.query(`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events, (SELECT coalesce(sum(version), 0) FROM cases)::int AS versions, (SELECT count(*) FROM case_number_counters)::int AS counters`))[0];

    it('rejects wrong types, missing fields, huge strings, floats for money and unknown ids with 4xx', async () => {
      const ws = a.ws.id;
      const before = await fingerprint();
      const bodies: Array<[Record<string, unknown>, number]> = [
        [{ ...caseBody(ws), claimAmount: 12500 }, 400],
        [{ ...caseBody(ws), claimAmount: '12500.001' }, 400],
        [{ ...caseBody(ws), claimAmount: '-5' }, 400],
        [{ ...caseBody(ws), summary: 'x'.repeat(5001) }, 400],
        [{ ...caseBody(ws), applicant: { name: 'x'.repeat(101) } }, 400],
        [{ ...caseBody(ws), applicant: 'somebody' }, 400],
        [{ ...caseBody(ws), applicant: {} }, 400],
        [{ ...caseBody(ws), source: 'email' }, 400],
        [{ ...caseBody(ws), disputeType: null }, 400],
        [{ ...caseBody(ws), workerCount: 1.5 }, 400],
        [{ ...caseBody(ws), workerCount: '3' }, 400],
        [{ ...caseBody(ws), receivedAt: 'yesterday' }, 400],
        [{ ...caseBody(ws), receivedAt: new Date(Date.now() + 86400_000).toISOString() }, 400],
        [{ ...caseBody(ws), workstationId: 'not-a-uuid' }, 400],
        [{ ...caseBody(ws), workstationId: '00000000-0000-4000-8000-000000000000' }, 403],
        [{ ...caseBody(ws), status: 'confirmed' }, 400],
        [{ ...caseBody(ws), version: 9 }, 400],
        [{ ...caseBody(ws), applicant: { name: 'x', isAdmin: true } }, 400],
        [{ summary: 'only this' }, 400],
      ];
      for (const [body, status] of bodies) {
        const res = await t.http.post(api('/cases')).set(bearer(a.staff)).send(body);
        expect({ body: JSON.stringify(body).slice(0, 80), status: res.status }).toEqual({ body: JSON.stringify(body).slice(0, 80), status });
        expect(res.body.statusCode).toBe(status);
      }
      const money = await t.http.post(api('/cases')).set(bearer(a.staff)).send({ ...caseBody(ws), claimAmount: 12500 });
      expect(money.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'claimAmount' })]));
      const nested = await t.http.post(api('/cases')).set(bearer(a.staff)).send({ ...caseBody(ws), applicant: { name: 'x', isAdmin: true } });
      expect(nested.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'applicant.isAdmin' })]));
      expect(await fingerprint()).toEqual(before);
    });

    it('rejects bad action bodies and unknown ids without changing the case', async () => {
      const c = await caseInState(t, a, 'in_mediation');
      const before = await fingerprint();
      const missing = '00000000-0000-4000-8000-000000000000';
      const attempts: Array<[string, string, Record<string, unknown>, number]> = [
        ['post', `/cases/${c.id}/assign`, { mediatorId: 'x' }, 400],
        ['post', `/cases/${c.id}/assign`, { mediatorId: missing }, 400],
        ['post', `/cases/${missing}/assign`, { mediatorId: a.mediator2.id }, 404],
        ['post', `/cases/not-a-uuid/failure`, { reason: 'x' }, 400],
        ['post', `/cases/${c.id}/failure`, { reason: '' }, 400],
        ['post', `/cases/${c.id}/failure`, { reason: 'x'.repeat(2001) }, 400],
        ['post', `/cases/${c.id}/extension`, { days: '5', reason: 'x' }, 400],
        ['post', `/cases/${c.id}/extension`, { days: 500, reason: 'x' }, 400],
        ['post', `/cases/${c.id}/sessions`, { scheduledAt: 'tomorrow', mode: 'onsite' }, 400],
        ['post', `/cases/${c.id}/sessions`, { scheduledAt: new Date().toISOString(), mode: 'carrier pigeon' }, 400],
        ['patch', `/sessions/${c.sessionId}`, {}, 400],
        ['patch', `/sessions/${c.sessionId}`, { status: 'done' }, 400],
        ['patch', `/sessions/${missing}`, { notes: 'x' }, 404],
        ['post', `/cases/${c.id}/agreement`, { terms: 't', agreedAmount: 100.5, signedAt: new Date().toISOString(), installments: [] }, 400],
        ['post', `/cases/${c.id}/agreement`, { terms: 't', agreedAmount: '100.50', signedAt: new Date(Date.now() + 86400_000).toISOString(), installments: [] }, 400],
        ['post', `/cases/${c.id}/agreement`, { terms: 't', agreedAmount: '100.50', signedAt: new Date().toISOString(), installments: 'monthly' }, 400],
        ['post', `/cases/${c.id}/notes`, { text: 'x', contactedParty: 'judge' }, 400],
        ['post', `/cases/${c.id}/failure`, { reason: 'x', expectedVersion: 'latest' }, 400],
        ['post', `/confirmations/${missing}/ruling`, { decision: 'confirmed', rulingNumber: 'x' }, 404],
        ['post', `/agreements/${missing}/installments/1/payment`, { paidAt: new Date().toISOString() }, 404],
        ['post', `/agreements/${missing}/installments/abc/payment`, { paidAt: new Date().toISOString() }, 400],
      ];
      for (const [method, path, body, status] of attempts) {
        const user = path.includes('assign') ? a.staff : path.includes('ruling') ? a.clerk : a.mediator;
        const res = await (t.http as any)[method](api(path)).set(bearer(user)).send(body);
        expect({ path, body, status: res.status }).toEqual({ path, body, status });
      }
      expect(await fingerprint()).toEqual(before);
    });
  });
});
