import { Role } from '../src/accounts-core/role.enum';
import { buildCaseFilter, SCAN_PAGE_SHARE } from '../src/cases/case-query';
import { SearchTermShares } from '../src/cases/search-term-shares';
import { HeavyReadSlots, HEAVY_READS } from '../src/heavy-reads/heavy-reads';
import { createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;
const api = (path: string) => `/api/v1${path}`;

interface Row {
  id: string;
  case_number: string;
  applicant_name: string;
  respondent_name: string;
  court_case_number: string | null;
}

describe('short searches and per-user limits on searches and exports (e2e)', () => {
  let t: TestApp;
  let a: Team;
  let admin: TestUser;
  let admin2: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    a = await makeWorkstationTeam(t);
    admin = await makeUser(t, Role.Admin, null);
    admin2 = await makeUser(t, Role.Admin, null);
    const people: Array<[applicant: string, respondent: string, court?: string]> = [
      ['张伟', '广州市宏达电子科技有限公司'],
      ['张伟明', '深圳市恒通物流有限公司'],
      ['李张', '伟业建筑有限公司'], // 张 ends one field and 伟 starts the next: not 张伟
      ['王芳', '张记餐饮管理有限公司'],
      ['赵伟', 'ABC Trading 有限公司'],
      ['陈静', '东莞市美嘉服装有限公司', '(2026)粤1971民初88号'],
      ['刘%', '佛山市五金_制品有限公司'],
    ];
    for (const [applicant, respondent, court] of people) {
      await createCase(t, admin, a.ws.id, {
        applicant: { name: applicant, idNumber: '420102199001011234', phone: '13800000000' },
        respondent: { name: respondent, creditCode: '91420100MA4K0000XX' },
        ...(court ? { source: 'court_entrusted', courtCaseNumber: court } : {}),
      });
    }
  });
  afterAll(() => t.close());

  /** What a one- or two-character search must find: the term inside one of the four fields, ignoring case. */
  async function expected(term: string): Promise<string[]> {
    const rows: Row[] = await t.db.query(`SELECT id, case_number, applicant_name, respondent_name, court_case_number FROM cases`);
    const needle = term.toLowerCase();
    return rows
      .filter((r) => [r.case_number, r.applicant_name, r.respondent_name, r.court_case_number].some((f) => f !== null && f.toLowerCase().includes(needle)))
      .map((r) => r.id)
      .sort();
  }

  async function search(term: string, user: TestUser = admin): Promise<{ ids: string[]; total: number }> {
    const res = await t.http.get(api(`/cases?pageSize=100&q=${encodeURIComponent(term)}`)).set(bearer(user)).expect(200);
    return { ids: (res.body.items as Array<{ id: string }>).map((c) => c.id).sort(), total: res.body.total as number };
  }

  it('finds exactly the cases with the term inside one field, for one and two characters', async () => {
    for (const term of ['张', '伟', '张伟', '伟明', '记餐', 'bc', 'B', 'c ', '民初', '88', '%', '_', '刘%', '有限']) {
      const want = await expected(term);
      const got = await search(term);
      expect({ term, ids: got.ids, total: got.total }).toEqual({ term, ids: want, total: want.length });
    }
    // The fixtures make the terms mean something: not all empty, not all everything.
    expect((await search('张')).total).toBe(4);
    expect((await search('张伟')).total).toBe(2);
    expect((await search('%')).total).toBe(1);
  });

  it('finds the same when the statistics make terms common (walked with a LIKE per field, not looked up), for admins and staff', async () => {
    const shares = t.app.get(SearchTermShares);
    await t.db.query('ANALYZE cases');
    shares.forget();
    try {
      // Of the seven cases, four hold 张 and all hold 有限: common by any measure.
      expect(await shares.share('张')).toBeGreaterThanOrEqual(SCAN_PAGE_SHARE);
      expect(await shares.share('有限')).toBeGreaterThanOrEqual(SCAN_PAGE_SHARE);
      for (const term of ['张', '伟', '张伟', '伟明', '记餐', 'bc', 'B', 'c ', '民初', '88', '%', '_', '刘%', '有限']) {
        const want = await expected(term);
        for (const user of [admin, a.staff]) {
          const got = await search(term, user);
          expect({ term, ids: got.ids, total: got.total }).toEqual({ term, ids: want, total: want.length });
        }
      }
      expect((await search('张', a.mediator)).total).toBe(0);
    } finally {
      shares.forget();
    }
  });

  it('never matches a pair across two fields', async () => {
    const { ids } = await search('张伟');
    const [spanning] = await t.db.query(`SELECT id FROM cases WHERE applicant_name = '李张'`);
    expect(ids).not.toContain(spanning.id);
  });

  it('keeps the scope: a mediator finds only their own cases', async () => {
    expect((await search('张', a.mediator)).total).toBe(0);
    expect((await search('张', a.staff)).total).toBe(4);
  });

  it('serves one- and two-character terms from the grams index, not by scanning', async () => {
    const runner = t.db.createQueryRunner();
    try {
      await runner.query('SET enable_seqscan = off');
      for (const q of ['张', '张伟']) {
        const { where, params } = buildCaseFilter({ id: admin.id, username: admin.username, role: Role.Admin, workstationId: null }, { q });
        for (const sql of [
          `SELECT id FROM cases c WHERE ${where} ORDER BY c.received_at DESC, c.id DESC LIMIT 20`,
          `SELECT count(*) FROM cases c WHERE ${where}`,
        ]) {
          const plan = (await runner.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)) as Array<{ 'QUERY PLAN': unknown }>;
          const text = JSON.stringify(plan[0]['QUERY PLAN']);
          expect(text).toContain('cases_search_grams_idx');
          expect(text).not.toContain('Seq Scan');
        }
      }
    } finally {
      await runner.query('RESET enable_seqscan');
      await runner.release();
    }
  });

  describe('per-user limits', () => {
    it("answers 429 with Retry-After and a Chinese message when the user's searches are all running, and lets other users search", async () => {
      const slots = t.app.get(HeavyReadSlots);
      const held = Array.from({ length: HEAVY_READS.search.perUser }, () => slots.tryAcquire(admin.id, 'search'));
      expect(held.every(Boolean)).toBe(true);
      try {
        const res = await t.http.get(api(`/cases?q=${encodeURIComponent('张')}`)).set(bearer(admin)).expect(429);
        expect(res.headers['retry-after']).toBe('1');
        expect(res.body.messageZh).toBe(HEAVY_READS.search.messageZh);
        // Lists without a search, other users' searches and the user's exports are not held back.
        await t.http.get(api('/cases')).set(bearer(admin)).expect(200);
        await search('张', admin2);
        await t.http.get(api('/cases/export.csv')).set(bearer(admin)).expect(200);
      } finally {
        for (const release of held) release!();
      }
      await search('张');
      expect(slots.inUse()).toBe(0);
    });

    it('limits only searches: a list without one and a case number lookup are not held back', async () => {
      const slots = t.app.get(HeavyReadSlots);
      const held = Array.from({ length: HEAVY_READS.search.perUser }, () => slots.tryAcquire(admin.id, 'search'));
      try {
        await t.http.get(api('/cases?status=registered')).set(bearer(admin)).expect(200);
        const [{ case_number }] = await t.db.query(`SELECT case_number FROM cases LIMIT 1`);
        const res = await t.http.get(api(`/cases?q=${encodeURIComponent(case_number)}`)).set(bearer(admin)).expect(200);
        expect(res.body.total).toBe(1);
      } finally {
        for (const release of held) release!();
      }
    });

    it("makes an export wait while the server's export slots are taken, then runs it; 429 with Retry-After when none comes free in time", async () => {
      const slots = t.app.get(HeavyReadSlots);
      const taken = await Promise.all(Array.from({ length: HEAVY_READS.export.perInstance }, () => slots.acquireShared('export')));
      let waited: Promise<number>;
      try {
        waited = t.http
          .get(api('/cases/export.csv'))
          .set(bearer(admin2))
          .then((r) => r.status);
        for (let i = 0; i < 100 && slots.shared('export').waiting < 1; i++) await new Promise((r) => setTimeout(r, 20));
        expect(slots.shared('export').waiting).toBe(1);
      } finally {
        for (const release of taken) release!();
      }
      await expect(waited).resolves.toBe(200);
      expect(slots.shared('export')).toEqual({ running: 0, waiting: 0 });

      // None comes free: the waiters (as many as may wait) time out, the next is turned away at once.
      const all = await Promise.all(Array.from({ length: HEAVY_READS.export.perInstance }, () => slots.acquireShared('export')));
      const queue = Array.from({ length: HEAVY_READS.export.maxWaiting }, () => slots.acquireShared('export'));
      try {
        const res = await t.http.get(api('/cases/export.csv')).set(bearer(admin2)).expect(429);
        expect(res.headers['retry-after']).toBe('10');
        expect(res.body.messageZh).toBe(HEAVY_READS.export.busyMessageZh);
        expect(slots.inUse()).toBe(0);
      } finally {
        for (const release of all) release!();
        // Each waiter in turn gets the slot from the one before.
        for (const waiter of queue) (await waiter)?.();
      }
      expect(slots.shared('export')).toEqual({ running: 0, waiting: 0 });
    });

    it("gives a burst of one user's exports 429 beyond the limit while another user's requests pass", async () => {
      // The exports join agreements: a lock held on it keeps the admitted ones running.
      const locker = t.db.createQueryRunner();
      await locker.connect();
      await locker.startTransaction();
      await locker.query('LOCK TABLE agreements IN ACCESS EXCLUSIVE MODE');
      let released = false;
      try {
        const burst = Array.from({ length: 6 }, () =>
          t.http
            .get(api('/cases/export.csv'))
            .set(bearer(admin))
            .then((r) => r.status),
        );
        // The rejected ones answer at once, while the admitted ones wait on the lock.
        const slots = t.app.get(HeavyReadSlots);
        for (let i = 0; i < 100 && slots.inUse() < HEAVY_READS.export.perUser; i++) await new Promise((r) => setTimeout(r, 20));
        expect(slots.inUse()).toBe(HEAVY_READS.export.perUser);
        await t.http.get(api('/cases?status=registered')).set(bearer(admin2)).expect(200);
        await search('伟', admin2);
        await locker.commitTransaction();
        released = true;
        const statuses = await Promise.all(burst);
        expect(statuses.filter((s) => s === 200)).toHaveLength(HEAVY_READS.export.perUser);
        expect(statuses.filter((s) => s === 429)).toHaveLength(6 - HEAVY_READS.export.perUser);
        expect(slots.inUse()).toBe(0);
      } finally {
        if (!released) await locker.rollbackTransaction();
        await locker.release();
      }
    });
  });
});
