import { Role } from '../src/accounts-core/role.enum';
import { bearer, makeUser, makeWorkstationTeam } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

const api = (path: string) => `/api/v1${path}`;

describe('consultations (e2e)', () => {
  let t: TestApp;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
  });
  afterAll(() => t.close());

  const body = (overrides: Record<string, unknown> = {}) => ({
    workstationId: team.ws.id,
    channel: 'hotline',
    name: '刘某',
    phone: '13600000000',
    employer: '某某物流有限公司',
    question: '公司拖欠两个月工资，如何维权？',
    advice: '告知可申请调解或劳动仲裁',
    outcome: 'advice_only',
    ...overrides,
  });
  const count = async () => (await t.db.query(`SELECT (SELECT count(*) FROM consultations)::int AS k, (SELECT count(*) FROM cases)::int AS c`))[0];

  it('logs consultations (no mediation period), lists them with filters, and counts them in the statistics on their own', async () => {
    const created = await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body()).expect(201);
    expect(created.body).toMatchObject({ channel: 'hotline', name: '刘某', outcome: 'advice_only', caseId: null });
    expect(created.body).not.toHaveProperty('deadlineAt');
    await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body({ channel: 'window', name: '陈某', outcome: 'referred_to_arbitration' })).expect(201);
    await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body({ channel: 'visit', name: '周某', outcome: 'referred_to_legal_aid' })).expect(201);

    const all = await t.http.get(api('/consultations')).set(bearer(team.staff)).expect(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 20 });
    const window = await t.http.get(api('/consultations?channel=window')).set(bearer(team.staff)).expect(200);
    expect(window.body.items.map((k: { name: string }) => k.name)).toEqual(['陈某']);
    const search = await t.http.get(api(`/consultations?q=${encodeURIComponent('周')}`)).set(bearer(team.staff)).expect(200);
    expect(search.body.total).toBe(1);

    const stats = await t.http.get(api(`/stats/summary?workstationId=${team.ws.id}`)).set(bearer(team.staff)).expect(200);
    expect(stats.body).toMatchObject({ consultations: 3, received: 0 });
    const byWorkstation = await t.http.get(api(`/stats/breakdown?by=workstation&workstationId=${team.ws.id}`)).set(bearer(team.staff)).expect(200);
    expect(byWorkstation.body.rows[0]).toMatchObject({ workstationId: team.ws.id, consultations: 3 });
  });

  it('refuses bad input and other roles with a 4xx that writes nothing', async () => {
    const before = await count();
    await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body({ channel: 'email' })).expect(400);
    await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body({ outcome: 'converted' })).expect(400);
    await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body({ question: '' })).expect(400);
    await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body({ consultedAt: '2099-01-01T00:00:00Z' })).expect(400);
    await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body({ extra: 1 })).expect(400);
    await t.http.post(api('/consultations')).set(bearer(team.mediator)).send(body()).expect(403);
    const other = await makeWorkstationTeam(t);
    await t.http.post(api('/consultations')).set(bearer(other.staff)).send(body()).expect(403);
    expect(await count()).toEqual(before);
    await t.http.get(api('/consultations?from=2026-02-30')).set(bearer(team.staff)).expect(400);
    await t.http.get(api('/consultations?from=2026-03-10&to=2026-03-01')).set(bearer(team.staff)).expect(400);
  });

  it('converts a consultation into a case in one step, carrying its facts over, once', async () => {
    const k = (await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body({ channel: 'window', name: '孙某' })).expect(201)).body;
    const before = await count();
    await t.http.post(api(`/consultations/${k.id}/convert`)).set(bearer(team.staff)).send({ disputeType: 'wage_arrears' }).expect(400);
    await t.http.post(api(`/consultations/${k.id}/convert`)).set(bearer(team.staff)).send({ disputeType: 'wage_arrears', claimAmount: 8000 }).expect(400);
    expect(await count()).toEqual(before);

    const res = await t.http.post(api(`/consultations/${k.id}/convert`)).set(bearer(team.staff)).send({ disputeType: 'wage_arrears', claimAmount: '8000.00' }).expect(201);
    expect(res.body).toMatchObject({
      status: 'registered',
      source: 'walk_in',
      summary: '公司拖欠两个月工资，如何维权？',
      applicant: { kind: 'worker', name: '孙某', phone: '13600000000' },
      respondent: { kind: 'employer', name: '某某物流有限公司' },
      deadlineDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const events = (await t.http.get(api(`/cases/${res.body.id}/events`)).set(bearer(team.staff)).expect(200)).body;
    expect(events[0]).toMatchObject({ type: 'case_registered', after: { consultationId: k.id } });
    const after = (await t.http.get(api(`/consultations/${k.id}`)).set(bearer(team.staff)).expect(200)).body;
    expect(after).toMatchObject({ outcome: 'converted', caseId: res.body.id });

    const again = await t.http.post(api(`/consultations/${k.id}/convert`)).set(bearer(team.staff)).send({ disputeType: 'wage_arrears', claimAmount: '8000.00' }).expect(409);
    expect(again.body.details.caseId).toBe(res.body.id);
    const admin = await makeUser(t, Role.Admin, null);
    await t.http.post(api(`/consultations/00000000-0000-4000-8000-000000000000/convert`)).set(bearer(admin)).send({ disputeType: 'other', claimAmount: '1.00' }).expect(404);
    const other = await makeWorkstationTeam(t);
    await t.http.get(api(`/consultations/${k.id}`)).set(bearer(other.staff)).expect(404);
  });

  it('asks for the respondent when the consultation names no employer', async () => {
    const k = (await t.http.post(api('/consultations')).set(bearer(team.staff)).send(body({ employer: undefined, name: '吴某' })).expect(201)).body;
    const res = await t.http.post(api(`/consultations/${k.id}/convert`)).set(bearer(team.staff)).send({ disputeType: 'other', claimAmount: '1.00' }).expect(400);
    expect(res.body.details.field).toBe('respondent');
    const ok = await t.http
      .post(api(`/consultations/${k.id}/convert`))
      .set(bearer(team.staff))
      .send({ disputeType: 'other', claimAmount: '1.00', respondent: { name: '某某餐饮公司' } })
      .expect(201);
    expect(ok.body.source).toBe('hotline');
  });
});
