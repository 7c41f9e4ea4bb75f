import { createTestApp, TestApp } from './utils/test-app';
import { bearer, makeWorkstationTeam } from './utils/factories';
import { caseBody, caseInState } from './utils/case-factory';

const api = (path: string) => `/api/v1${path}`;

describe('concurrent intake and rulings (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: false, env: { DB_POOL_SIZE: '20' } });
  });
  afterAll(() => t.close());

  it('numbers parallel intakes gap-free per workstation and year', async () => {
    const a = await makeWorkstationTeam(t);
    const b = await makeWorkstationTeam(t);
    const lastYear = new Date(Date.now() - 366 * 86400_000).toISOString();
    const requests = Array.from({ length: 60 }, (_, i) => {
      const team = i % 2 ? a : b;
      const body = caseBody(team.ws.id, i % 3 === 0 ? { receivedAt: lastYear } : {});
      return t.http.post(api('/cases')).set(bearer(team.staff)).send(body);
    });
    const results = await Promise.all(requests);
    expect(results.map((r) => r.status)).toEqual(Array(60).fill(201));
    const groups = new Map<string, number[]>();
    for (const r of results) {
      const [, year, seq] = /^(?:.+)-(\d{4})-(\d{6})$/.exec(r.body.caseNumber)!;
      const key = `${r.body.workstationId}:${year}`;
      groups.set(key, [...(groups.get(key) ?? []), Number(seq)]);
    }
    expect(groups.size).toBe(4);
    for (const seqs of groups.values()) expect(seqs.sort((x, y) => x - y)).toEqual(seqs.map((_, i) => i + 1));
    const counters = await t.db.query(`SELECT sum(last_value)::int AS n FROM case_number_counters WHERE workstation_id = ANY($1)`, [[a.ws.id, b.ws.id]]);
    expect(counters[0].n).toBe(60);
  });

  it('keeps numbers gap-free when an intake in the middle fails', async () => {
    const team = await makeWorkstationTeam(t);
    const ok1 = await t.http.post(api('/cases')).set(bearer(team.staff)).send(caseBody(team.ws.id)).expect(201);
    await t.http.post(api('/cases')).set(bearer(team.staff)).send(caseBody(team.ws.id, { source: 'walk_in', mediationDeadline: '2099-01-01' })).expect(400);
    const ok2 = await t.http.post(api('/cases')).set(bearer(team.staff)).send(caseBody(team.ws.id)).expect(201);
    expect(Number(ok2.body.caseNumber.slice(-6))).toBe(Number(ok1.body.caseNumber.slice(-6)) + 1);
  });

  it('applies exactly one of parallel rulings; identical repeats get the same answer, different ones 409', async () => {
    const team = await makeWorkstationTeam(t);
    // DESIGN.md: the court rules on a request it accepted.
    const c = await caseInState(t, team, 'confirmation_accepted');
    const confirm = { decision: 'confirmed', rulingNumber: '(2026)鄂0102民特7号' };
    const reject = { decision: 'rejected', rulingNumber: '(2026)鄂0102民特8号', reason: '违反法律规定' };
    const bodies = Array.from({ length: 10 }, (_, i) => (i % 2 ? confirm : reject));
    const results = await Promise.all(bodies.map((body) => t.http.post(api(`/confirmations/${c.confirmationId}/ruling`)).set(bearer(team.clerk)).send(body)));
    const winners = results.filter((r) => r.status === 200);
    const losers = results.filter((r) => r.status === 409);
    expect(winners.length + losers.length).toBe(10);
    const decision = winners[0].body.status;
    expect(winners.every((r) => JSON.stringify(r.body) === JSON.stringify(winners[0].body))).toBe(true);
    expect(winners).toHaveLength(5);
    const events = await t.db.query(`SELECT type FROM case_events WHERE case_id = $1 AND type LIKE 'confirmation\\_%' AND type NOT IN ('confirmation_requested', 'confirmation_accepted')`, [c.id]);
    expect(events).toEqual([{ type: `confirmation_${decision}` }]);
    const [row] = await t.db.query('SELECT status FROM cases WHERE id = $1', [c.id]);
    expect(row.status).toBe(decision === 'confirmed' ? 'confirmed' : 'confirmation_rejected');
  });
});
