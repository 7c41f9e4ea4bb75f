import { Role } from '../src/accounts-core/role.enum';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { createCase } from './utils/case-factory';
import { createTestApp, TestApp } from './utils/test-app';

const api = (path: string) => `/api/v1${path}`;

describe('holiday calendar and court periods (e2e)', () => {
  let t: TestApp;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
    admin = await makeUser(t, Role.Admin, null);
  });
  afterAll(() => t.close());

  it('is seeded with the 2025 and 2026 arrangements, make-up working days included', async () => {
    const y2026 = (await t.http.get(api('/holidays?year=2026')).set(bearer(team.staff)).expect(200)).body;
    const kind = (day: string) => y2026.days.find((d: { day: string }) => d.day === day)?.kind;
    expect(kind('2026-10-01')).toBe('holiday');
    expect(kind('2026-10-07')).toBe('holiday');
    expect(kind('2026-10-10')).toBe('workday');
    expect(kind('2026-09-20')).toBe('workday');
    expect(kind('2026-02-15')).toBe('holiday');
    const y2025 = (await t.http.get(api('/holidays?year=2025')).set(bearer(team.staff)).expect(200)).body;
    expect(y2025.days.filter((d: { kind: string }) => d.kind === 'holiday').map((d: { day: string }) => d.day)).toContain('2025-10-08');
    await t.http.get(api('/holidays?year=abc')).set(bearer(team.staff)).expect(400);
    await t.http.get(api('/holidays?year=1800')).set(bearer(team.staff)).expect(400);
  });

  it('ends a court period whose last day falls in the National Day week on the first working day after it', async () => {
    // Entrusted 18 September 2026: 15 days end on 3 October (holiday): moved to 8 October.
    const entrusted = await createCase(t, team.staff, team.ws.id, { source: 'court_entrusted', receivedAt: '2026-09-18T02:00:00.000Z' });
    expect(entrusted.deadlineAt).toBe('2026-10-08T16:00:00.000Z');
    expect((entrusted as unknown as { deadlineDate: string }).deadlineDate).toBe('2026-10-08');
    // Assigned 1 September: 30 days end on 1 October: moved to 8 October.
    const assigned = await createCase(t, team.staff, team.ws.id, { source: 'court_assigned', receivedAt: '2026-09-01T02:00:00.000Z' });
    expect((assigned as unknown as { deadlineDate: string }).deadlineDate).toBe('2026-10-08');
    // Entrusted 25 September under simple procedure: 7 days end on 2 October: 8 October.
    const simple = await createCase(t, team.staff, team.ws.id, { source: 'court_entrusted', simpleProcedure: true, receivedAt: '2026-09-25T02:00:00.000Z' });
    expect((simple as unknown as { deadlineDate: string }).deadlineDate).toBe('2026-10-08');
    // Entrusted 25 September 2026 (15 days): 10 October is a make-up working day: not moved.
    const makeUp = await createCase(t, team.staff, team.ws.id, { source: 'court_entrusted', receivedAt: '2026-09-25T02:00:00.000Z' });
    expect((makeUp as unknown as { deadlineDate: string }).deadlineDate).toBe('2026-10-10');
    // A walk-in case keeps the statute's 15 days (art. 14), whatever the calendar.
    const walkIn = await createCase(t, team.staff, team.ws.id, { receivedAt: '2026-09-18T02:00:00.000Z' });
    expect((walkIn as unknown as { deadlineDate: string }).deadlineDate).toBe('2026-10-03');
  });

  it('lets admins keep the calendar; the periods follow it; bad input changes nothing', async () => {
    const days = [
      { day: '2027-10-01', kind: 'holiday', name: '国庆节' },
      { day: '2027-10-02', kind: 'holiday', name: '国庆节' },
    ];
    await t.http.put(api('/holidays/2027')).set(bearer(team.staff)).send({ days }).expect(403);
    const snapshot = async () => (await t.db.query(`SELECT count(*)::int AS n FROM holidays`))[0].n;
    const before = await snapshot();
    await t.http.put(api('/holidays/2027')).set(bearer(admin)).send({ days: [{ day: '2027-02-30', kind: 'holiday', name: 'x' }] }).expect(400);
    await t.http.put(api('/holidays/2027')).set(bearer(admin)).send({ days: [{ day: '2028-01-01', kind: 'holiday', name: 'x' }] }).expect(400);
    await t.http.put(api('/holidays/2027')).set(bearer(admin)).send({ days: [days[0], days[0]] }).expect(400);
    await t.http.put(api('/holidays/2027')).set(bearer(admin)).send({ days: [{ day: '2027-10-01', kind: 'party', name: 'x' }] }).expect(400);
    expect(await snapshot()).toBe(before);
    const saved = await t.http.put(api('/holidays/2027')).set(bearer(admin)).send({ days }).expect(200);
    expect(saved.body).toEqual({ year: 2027, days });

    // Replacing 2026 without the National Day week: the period is no longer moved.
    const y2026 = (await t.http.get(api('/holidays?year=2026')).set(bearer(admin)).expect(200)).body.days;
    await t.http.put(api('/holidays/2026')).set(bearer(admin)).send({ days: y2026.filter((d: { day: string }) => !d.day.startsWith('2026-10')) }).expect(200);
    const c = await createCase(t, team.staff, team.ws.id, { source: 'court_entrusted', receivedAt: '2026-09-21T02:00:00.000Z' });
    expect((c as unknown as { deadlineDate: string }).deadlineDate).toBe('2026-10-06'); // a Tuesday, a working day now
    await t.http.put(api('/holidays/2026')).set(bearer(admin)).send({ days: y2026 }).expect(200);
    const d = await createCase(t, team.staff, team.ws.id, { source: 'court_entrusted', receivedAt: '2026-09-21T02:00:00.000Z' });
    expect((d as unknown as { deadlineDate: string }).deadlineDate).toBe('2026-10-08');
  });
});
