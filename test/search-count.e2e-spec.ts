import { Role } from '../src/accounts-core/role.enum';
import { SEARCH_COUNT_CAP } from '../src/cases/case-query';
import { createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

const api = (path: string) => `/api/v1${path}`;

describe('a search counts its matches up to a cap (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    const team = await makeWorkstationTeam(t);
    admin = await makeUser(t, Role.Admin, null);
    const source = await createCase(t, admin, team.ws.id, { applicant: { name: '蔡文', idNumber: '420102199001011234', phone: '13800000000' } });
    await createCase(t, admin, team.ws.id, { applicant: { name: '欧阳明', idNumber: '420102199001011234', phone: '13800000000' } });
    // More copies of one case than the cap, written straight into the table (intake through the API
    // would take minutes): each with its own id and number, the applicant still 蔡文.
    await t.db.query(
      `INSERT INTO cases
       SELECT (jsonb_populate_record(NULL::cases, to_jsonb(c) || jsonb_build_object('id', gen_random_uuid(), 'case_number', 'CAP-2026-' || lpad(i::text, 6, '0')))).*
         FROM cases c, generate_series(1, $2::int) i
        WHERE c.id = $1`,
      [source.id, SEARCH_COUNT_CAP + 50],
    );
  });
  afterAll(() => t.close());

  it('stops counting a common term at the cap and says so', async () => {
    const res = await t.http.get(api('/cases?q=蔡&pageSize=20')).set(bearer(admin)).expect(200);
    expect(res.body.total).toBe(SEARCH_COUNT_CAP);
    expect(res.body.totalCapped).toBe(true);
    expect(res.body.items).toHaveLength(20);
    const last = await t.http.get(api(`/cases?q=蔡&pageSize=20&page=${10_000 / 20}`)).set(bearer(admin)).expect(200);
    expect(last.body.items).toHaveLength(20);
  });

  it('counts a search below the cap exactly', async () => {
    const res = await t.http.get(api('/cases?q=欧阳')).set(bearer(admin)).expect(200);
    expect(res.body).toMatchObject({ total: 1, totalCapped: false });
  });

  it('counts a list without a search exactly, however long (here by counting: a date filter)', async () => {
    const res = await t.http.get(api('/cases?pageSize=1&receivedFrom=2000-01-01')).set(bearer(admin)).expect(200);
    const [{ n }]: Array<{ n: number }> = await t.db.query(`SELECT count(*)::int AS n FROM cases`);
    expect(n).toBeGreaterThan(SEARCH_COUNT_CAP);
    expect(res.body).toMatchObject({ total: n, totalCapped: false });
  });
});
