import { Role } from '../src/accounts-core/role.enum';
import { SCAN_COUNT_SHARE, SEARCH_COUNT_CAP, SEARCH_LIST_WINDOW } from '../src/cases/case-query';
import { SearchTermShares } from '../src/cases/search-term-shares';
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

  /** The search's first page and its last (SEARCH_LIST_WINDOW deep); one page further is a 400 that says to add a condition. */
  async function searchPages(q: string) {
    const first = await t.http.get(api(`/cases?q=${encodeURIComponent(q)}&pageSize=20`)).set(bearer(admin)).expect(200);
    const last = await t.http.get(api(`/cases?q=${encodeURIComponent(q)}&pageSize=20&page=${SEARCH_LIST_WINDOW / 20}`)).set(bearer(admin)).expect(200);
    const beyond = await t.http.get(api(`/cases?q=${encodeURIComponent(q)}&pageSize=20&page=${SEARCH_LIST_WINDOW / 20 + 1}`)).set(bearer(admin)).expect(400);
    return { first: first.body, last: last.body, beyond: beyond.body };
  }

  it('stops counting a common term at the cap and says so; pages as deep as it counts', async () => {
    const { first, last, beyond } = await searchPages('蔡');
    expect(first.total).toBe(SEARCH_COUNT_CAP);
    expect(first.totalCapped).toBe(true);
    expect(first.items).toHaveLength(20);
    expect(first.items.every((c: { applicant: { name: string } }) => c.applicant.name === '蔡文')).toBe(true);
    expect(last.items).toHaveLength(20);
    expect(beyond.messageZh).toBe(`搜索结果只列出前 ${SEARCH_LIST_WINDOW} 条，请增加条件缩小范围`);
  });

  it('gives the same pages and the same capped total when the statistics make the term common (walked, not looked up)', async () => {
    const shares = t.app.get(SearchTermShares);
    // As a rare term (through the grams index), then as the statistics have it after ANALYZE.
    const rare = jest.spyOn(shares, 'share').mockResolvedValue(0);
    const before = await searchPages('蔡');
    rare.mockRestore();
    await t.db.query('ANALYZE cases');
    shares.forget();
    try {
      expect(await shares.share('蔡')).toBeGreaterThanOrEqual(SCAN_COUNT_SHARE);
      const after = await searchPages('蔡');
      expect(after.first).toEqual(before.first);
      expect(after.last).toEqual(before.last);
      const few = await t.http.get(api('/cases?q=欧阳')).set(bearer(admin)).expect(200);
      expect(few.body).toMatchObject({ total: 1, totalCapped: false });
    } finally {
      shares.forget();
    }
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
