import { caseBody, caseInState } from '../utils/case-factory';
import { makeWorkstationTeam } from '../utils/factories';
import { createTestApp, TestApp } from '../utils/test-app';
import { Api, ApiResponse, caseWithInstallments, listen } from './support';

/**
 * Concurrency: requests that race for the same counter row, confirmation, case version, session
 * or installment. The database must end up as if they had run one at a time.
 */
describe('reliability: concurrency', () => {
  let t: TestApp;
  let api: Api;
  let teamA: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let teamB: Awaited<ReturnType<typeof makeWorkstationTeam>>;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    api = await listen(t);
    [teamA, teamB] = await Promise.all([makeWorkstationTeam(t), makeWorkstationTeam(t)]);
  });
  afterAll(() => t.close());

  /** Per workstation and year: the numbers are exactly 1..N, N is the counter, every case has its registration event. */
  async function expectGapFreeNumbers(): Promise<Map<string, number>> {
    const cases: Array<{ id: string; case_number: string; workstation_id: string; code: string; events: number }> = await t.db.query(
      `SELECT c.id, c.case_number, c.workstation_id, w.code,
              (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.type = 'case_registered') AS events
         FROM cases c JOIN workstations w ON w.id = c.workstation_id`,
    );
    const counters: Array<{ workstation_id: string; year: number; last_value: number }> = await t.db.query(`SELECT * FROM case_number_counters`);
    const groups = new Map<string, number[]>();
    for (const c of cases) {
      expect(c.events).toBe(1);
      const m = new RegExp(`^${c.code}-(\\d{4})-(\\d{6})$`).exec(c.case_number);
      expect(m).not.toBeNull();
      const key = `${c.workstation_id}/${Number(m![1])}`;
      groups.set(key, [...(groups.get(key) ?? []), Number(m![2])]);
    }
    expect(new Set(counters.map((k) => `${k.workstation_id}/${k.year}`))).toEqual(new Set(groups.keys()));
    const sizes = new Map<string, number>();
    for (const k of counters) {
      const numbers = groups.get(`${k.workstation_id}/${k.year}`)!.sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: k.last_value }, (_, i) => i + 1));
      sizes.set(`${k.workstation_id}/${k.year}`, k.last_value);
    }
    return sizes;
  }

  it('keeps case numbers gap-free under 50 parallel intakes across two workstations and two years, with rejected intakes mixed in', async () => {
    const lastYear = `${new Date().getUTCFullYear() - 1}-06-15T10:00:00+08:00`;
    const requests: Array<Promise<ApiResponse>> = [];
    for (let i = 0; i < 50; i++) {
      const team = i % 2 ? teamB : teamA;
      // Staff and clerks take in cases side by side; every fifth case was received last year.
      const byClerk = i % 3 === 0;
      const body = caseBody(team.ws.id, { source: byClerk ? 'court_entrusted' : 'walk_in', ...(i % 5 === 0 ? { receivedAt: lastYear } : {}) });
      requests.push(api.post('/cases', { token: (byClerk ? team.clerk : team.staff).token, body }));
    }
    // Rejected intakes racing with the good ones: a clerk taking in a walk-in case, staff of the other workstation.
    for (let i = 0; i < 10; i++) {
      const team = i % 2 ? teamB : teamA;
      const other = i % 2 ? teamA : teamB;
      requests.push(api.post('/cases', { token: i % 4 < 2 ? team.clerk.token : other.staff.token, body: caseBody(team.ws.id, { source: 'walk_in' }) }));
    }
    const results = await Promise.all(requests);
    expect(results.slice(0, 50).map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(results.slice(50).map((r) => r.status)).toEqual(Array(10).fill(403));
    expect(new Set(results.slice(0, 50).map((r) => r.body.caseNumber)).size).toBe(50);

    const sizes = await expectGapFreeNumbers();
    expect([...sizes.values()].reduce((a, b) => a + b, 0)).toBe(50);
    expect(sizes.size).toBe(4);

    // A second burst continues each sequence where it stopped.
    const more = await Promise.all(Array.from({ length: 20 }, (_, i) => api.post('/cases', { token: (i % 2 ? teamB : teamA).staff.token, body: caseBody((i % 2 ? teamB : teamA).ws.id) })));
    expect(more.map((r) => r.status)).toEqual(Array(20).fill(201));
    const after = await expectGapFreeNumbers();
    expect([...after.values()].reduce((a, b) => a + b, 0)).toBe(70);
  });

  it('leaves exactly one ruling when 10 rulings race on one confirmation (same and different decisions)', async () => {
    const scenarios = [
      { confirmed: 6, rejected: 4 },
      { confirmed: 1, rejected: 9 },
      { confirmed: 10, rejected: 0 },
    ];
    for (const mix of scenarios) {
      // DESIGN.md: the court rules on a request it accepted.
      const c = await caseInState(t, teamA, 'confirmation_accepted');
      const confirmedBody = { decision: 'confirmed', rulingNumber: '(2026)鄂0102民特1号' };
      const rejectedBody = { decision: 'rejected', rulingNumber: '(2026)鄂0102民特2号', reason: '协议内容违反法律规定' };
      const bodies = [...Array(mix.confirmed).fill(confirmedBody), ...Array(mix.rejected).fill(rejectedBody)];
      const results = await Promise.all(bodies.map((body) => api.post(`/confirmations/${c.confirmationId}/ruling`, { token: teamA.clerk.token, body })));

      const events: Array<{ type: string }> = await t.db.query(`SELECT type FROM case_events WHERE case_id = $1 AND type LIKE 'confirmation\\_%' AND type NOT IN ('confirmation_requested', 'confirmation_accepted')`, [c.id]);
      expect(events).toHaveLength(1);
      const winner = events[0].type === 'confirmation_confirmed' ? 'confirmed' : 'rejected';
      const [row] = await t.db.query(`SELECT f.status, f.ruling_number, c.status AS case_status, c.version FROM confirmations f JOIN cases c ON c.id = f.case_id WHERE f.id = $1`, [c.confirmationId]);
      expect(row.status).toBe(winner);
      expect(row.case_status).toBe(winner === 'confirmed' ? 'confirmed' : 'confirmation_rejected');

      const winners = results.filter((_, i) => bodies[i].decision === winner);
      const losers = results.filter((_, i) => bodies[i].decision !== winner);
      // Identical requests get identical answers; the other decision is a 409 naming the ruling.
      expect(winners.map((r) => r.status)).toEqual(Array(winners.length).fill(200));
      expect(new Set(winners.map((r) => JSON.stringify(r.body))).size).toBe(1);
      expect(winners[0].body).toMatchObject({ id: c.confirmationId, status: winner, rulingNumber: row.ruling_number });
      expect(losers.map((r) => r.status)).toEqual(Array(losers.length).fill(409));
      for (const r of losers) expect(r.body.details).toMatchObject({ status: winner, rulingNumber: row.ruling_number });
    }
  });

  it('lets exactly one of 10 parallel updates with the same expectedVersion through; the rest get 409 with the current version', async () => {
    const c = await caseInState(t, teamA, 'assigned');
    const [{ version }] = await t.db.query(`SELECT version FROM cases WHERE id = $1`, [c.id]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api.post(`/cases/${c.id}/extension`, { token: teamA.mediator.token, body: { days: i + 1, reason: `双方同意延长 ${i}`, agreedBy: ['applicant', 'respondent'], expectedVersion: version } })),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.details).toMatchObject({ version: version + 1 });
    const [row] = await t.db.query(`SELECT version, extension_days FROM cases WHERE id = $1`, [c.id]);
    expect(row.version).toBe(version + 1);
    expect(row.extension_days).toBe(ok[0].body.extensionDays);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'deadline_extended'`, [c.id]);
    expect(n).toBe(1);
  });

  it('lets exactly one of different racing actions with the same If-Match through', async () => {
    const c = await caseInState(t, teamA, 'in_mediation');
    const [{ version }] = await t.db.query(`SELECT version FROM cases WHERE id = $1`, [c.id]);
    const ifMatch = { 'if-match': `W/"${version}"` };
    const tok = teamA.mediator.token;
    const results = await Promise.all([
      api.post(`/cases/${c.id}/failure`, { token: tok, headers: ifMatch, body: { reason: '用人单位拒绝调解' } }),
      api.post(`/cases/${c.id}/withdrawal`, { token: tok, headers: ifMatch, body: { reason: '申请人撤回' } }),
      api.post(`/cases/${c.id}/extension`, { token: tok, headers: ifMatch, body: { days: 5, reason: '双方同意', agreedBy: ['applicant', 'respondent'] } }),
      api.post(`/cases/${c.id}/sessions`, { token: tok, headers: ifMatch, body: { scheduledAt: new Date(Date.now() + 3 * 86400_000).toISOString(), mode: 'video' } }),
      api.post(`/cases/${c.id}/agreement`, { token: tok, headers: ifMatch, body: { terms: '一次性支付', agreedAmount: '100.00', signedAt: new Date().toISOString(), installments: [] } }),
      api.post(`/cases/${c.id}/assign`, { token: teamA.staff.token, headers: ifMatch, body: { mediatorId: teamA.mediator2.id } }),
    ]);
    expect(results.filter((r) => r.status < 300)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(5);
    const [row] = await t.db.query(`SELECT version FROM cases WHERE id = $1`, [c.id]);
    expect(row.version).toBe(version + 1);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND id > (SELECT max(id) FROM case_events WHERE case_id = $1 AND type = 'session_held')`, [c.id]);
    expect(n).toBe(1);
  });

  it('records exactly one outcome when outcomes of one session race', async () => {
    const c = await caseInState(t, teamA, 'assigned');
    const booked = await api.post(`/cases/${c.id}/sessions`, { token: teamA.mediator.token, body: { scheduledAt: new Date(Date.now() + 3600_000).toISOString(), mode: 'onsite' } });
    expect(booked.status).toBe(201);
    const outcomes = ['held', 'cancelled', 'no_show', 'held', 'cancelled', 'no_show', 'held', 'held'];
    const results = await Promise.all(outcomes.map((status) => api.patch(`/sessions/${booked.body.id}`, { token: teamA.mediator.token, body: { status } })));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(outcomes.length - 1);
    const [session] = await t.db.query(`SELECT status FROM case_sessions WHERE id = $1`, [booked.body.id]);
    expect(session.status).toBe(ok[0].body.status);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type IN ('session_held', 'session_cancelled', 'session_no_show')`, [c.id]);
    expect(n).toBe(1);
  });

  it('records one payment when payments of one installment race: identical ones answer the same, a different date is 409', async () => {
    const { caseId, agreementId } = await caseWithInstallments(t, teamA);
    const paidAt = new Date(Date.now() - 60_000).toISOString();
    const other = new Date(Date.now() - 120_000).toISOString();
    const bodies = [...Array(6).fill({ paidAt }), ...Array(4).fill({ paidAt: other })];
    const results = await Promise.all(bodies.map((body) => api.post(`/agreements/${agreementId}/installments/1/payment`, { token: teamA.mediator.token, body })));
    const [row] = await t.db.query(`SELECT paid_at FROM installments WHERE agreement_id = $1 AND seq = 1`, [agreementId]);
    const winner = new Date(row.paid_at).toISOString();
    const same = results.filter((_, i) => bodies[i].paidAt === winner);
    const different = results.filter((_, i) => bodies[i].paidAt !== winner);
    expect(same.map((r) => r.status)).toEqual(Array(same.length).fill(200));
    expect(new Set(same.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(different.map((r) => r.status)).toEqual(Array(different.length).fill(409));
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'installment_paid'`, [caseId]);
    expect(n).toBe(1);
  });

  it('records one agreement when agreements on one case race', async () => {
    const c = await caseInState(t, teamA, 'in_mediation');
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.post(`/cases/${c.id}/agreement`, { token: teamA.mediator.token, body: { terms: `条款${i}`, agreedAmount: `${1000 + i}.00`, signedAt: new Date().toISOString(), installments: [] } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM agreements WHERE case_id = $1`, [c.id]);
    expect(n).toBe(1);
  });
});
