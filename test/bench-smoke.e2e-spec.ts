import { Client } from 'pg';
import { generateBenchData, GenerateResult } from '../bench/generate';
import { dbUrl, runId, templateDbName } from './setup/test-env';
import { createTestDatabase } from './utils/test-app';

/**
 * The benchmark's data generator at a small size, into a fresh database: the counts, the case
 * numbers, the schema put back exactly as migrated, and the domain rules the app itself keeps.
 */
describe('bench data generator', () => {
  const CASES = 3000;
  const now = new Date('2026-03-15T04:00:00Z');
  let db: Client;
  let result: GenerateResult;
  let url: string;

  const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> => (await db.query(sql, params)).rows[0] as T;
  const count = async (sql: string, params: unknown[] = []) => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params)).n;

  beforeAll(async () => {
    url = dbUrl(await createTestDatabase());
    result = await generateBenchData(url, { cases: CASES, years: 2, workstations: 4, mediators: 10, now });
    db = new Client({ connectionString: url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
  });

  it('writes the requested numbers of cases, workstations and accounts, with their lifecycle records', async () => {
    expect(result).toMatchObject({ cases: CASES, workstations: 4, users: 4 * 2 + 10 + 2 });
    expect(await count(`SELECT 1 FROM cases`)).toBe(CASES);
    expect(await count(`SELECT 1 FROM users WHERE role = 'mediator'`)).toBe(10);
    // 10 mediators over 4 workstations: 3, 3, 2, 2.
    const perWs = await db.query(`SELECT count(*)::int AS n FROM users WHERE role = 'mediator' GROUP BY workstation_id ORDER BY 1 DESC`);
    expect(perWs.rows.map((r) => r.n)).toEqual([3, 3, 2, 2]);
    expect(result.events).toBeGreaterThan(CASES * 5);
    expect(result.sessions).toBeGreaterThan(CASES);
    expect(result.agreements).toBe(await count(`SELECT 1 FROM cases WHERE status IN ('agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected')`));
    expect(result.installments).toBeGreaterThanOrEqual(result.agreements);
    expect(result.confirmations).toBe(await count(`SELECT 1 FROM cases WHERE status IN ('confirmation_requested', 'confirmed', 'confirmation_rejected')`));
  });

  it('numbers cases {code}-{year}-{000001} without gaps per workstation and year, and the counters continue from there', async () => {
    expect(await count(`SELECT 1 FROM cases WHERE case_number !~ '^WS[0-9]{2}-[0-9]{4}-[0-9]{6}$'`)).toBe(0);
    const bad = await db.query(`
      SELECT w.code, x.year, x.n, x.max_seq, k.last_value
        FROM (SELECT workstation_id, split_part(case_number, '-', 2)::int AS year, count(*)::int AS n,
                     max(split_part(case_number, '-', 3)::int) AS max_seq, min(split_part(case_number, '-', 3)::int) AS min_seq
                FROM cases GROUP BY 1, 2) x
        JOIN workstations w ON w.id = x.workstation_id
        LEFT JOIN case_number_counters k ON k.workstation_id = x.workstation_id AND k.year = x.year
       WHERE x.n <> x.max_seq OR x.min_seq <> 1 OR k.last_value IS DISTINCT FROM x.n`);
    expect(bad.rows).toEqual([]);
    expect(await count(`SELECT 1 FROM case_number_counters`)).toBe(await count(`SELECT DISTINCT workstation_id, split_part(case_number, '-', 2) FROM cases`));
    // The number names the case's own workstation and its Shanghai year of receipt, in order of receipt.
    expect(
      await count(`SELECT 1 FROM cases c JOIN workstations w ON w.id = c.workstation_id
                    WHERE split_part(c.case_number, '-', 1) <> w.code
                       OR split_part(c.case_number, '-', 2)::int <> extract(year FROM c.received_at AT TIME ZONE 'Asia/Shanghai')`),
    ).toBe(0);
    expect(
      await count(`SELECT 1 FROM (SELECT case_number, lag(case_number) OVER (PARTITION BY workstation_id, split_part(case_number, '-', 2) ORDER BY received_at) AS prev FROM cases) x
                    WHERE prev > case_number`),
    ).toBe(0);
  });

  it('puts back every index, constraint and trigger exactly as migrated, validated, and analyzes the tables', async () => {
    const schema = async (c: Client) => {
      const ix = await c.query(`SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' ORDER BY 1`);
      const con = await c.query(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def, convalidated FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`);
      const trg = await c.query(`SELECT tgrelid::regclass::text AS tbl, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`);
      return { indexes: ix.rows, constraints: con.rows, triggers: trg.rows };
    };
    const template = new Client({ connectionString: dbUrl(templateDbName(runId())) });
    await template.connect();
    try {
      const expected = await schema(template);
      const actual = await schema(db);
      expect(actual).toEqual(expected);
      expect(actual.constraints.filter((c) => c.conname.endsWith('_fkey')).length).toBeGreaterThan(10);
      expect(actual.constraints.every((c) => c.convalidated)).toBe(true);
    } finally {
      await template.end();
    }
    // Derived statistics start empty (nothing claims to be a current snapshot of data that was just replaced).
    const derived = await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'stats\\_%'`);
    for (const { tablename } of derived.rows) expect({ tablename, rows: await count(`SELECT 1 FROM "${tablename}"`) }).toEqual({ tablename, rows: 0 });
    // Counters kept by triggers (the list's case_counts, where the schema has it) agree with the rows: the load ran them.
    if ((await one<{ t: string | null }>(`SELECT to_regclass('case_counts')::text AS t`)).t) {
      const off = await count(`SELECT 1 FROM (SELECT workstation_id, status, dispute_type, count(*) AS n FROM cases GROUP BY 1, 2, 3) c
                                FULL JOIN case_counts k USING (workstation_id, status, dispute_type) WHERE k.n IS DISTINCT FROM c.n AND coalesce(k.n, 0) + coalesce(c.n, 0) > 0`);
      expect(off).toBe(0);
    }
    const analyzed = await db.query(`SELECT relname FROM pg_stat_user_tables WHERE relname IN ('cases', 'case_events') AND last_analyze IS NOT NULL`);
    expect(analyzed.rows).toHaveLength(2);
  });

  it('keeps the lifecycle rules: outcomes, mediators, agreements, confirmations, deadlines', async () => {
    const statuses = (await db.query(`SELECT status, count(*)::int AS n FROM cases GROUP BY 1`)).rows.reduce((m, r) => ({ ...m, [r.status]: r.n }), {} as Record<string, number>);
    for (const s of ['confirmed', 'failed', 'withdrawn', 'agreement_reached', 'confirmation_rejected', 'in_mediation']) expect(statuses[s]).toBeGreaterThan(0);
    const agreements = ['agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected'].reduce((n, s) => n + (statuses[s] ?? 0), 0);
    const concluded = agreements + statuses.failed + statuses.withdrawn;
    expect(agreements / concluded).toBeGreaterThan(0.6);
    expect(agreements / concluded).toBeLessThan(0.74);

    const violations = {
      concludedAt: `SELECT 1 FROM cases WHERE (concluded_at IS NOT NULL) <> (status NOT IN ('registered', 'assigned', 'in_mediation'))`,
      concludedInOrder: `SELECT 1 FROM cases WHERE concluded_at < received_at OR concluded_at > $1 OR received_at > $1`,
      overdue: `SELECT 1 FROM cases WHERE overdue <> (status IN ('registered', 'assigned', 'in_mediation') AND deadline_at < $1)`,
      deadline: `SELECT 1 FROM cases WHERE deadline_at <= received_at`,
      mediator: `SELECT 1 FROM cases c LEFT JOIN users u ON u.id = c.mediator_id
                  WHERE (c.mediator_id IS NULL AND c.status NOT IN ('registered', 'withdrawn'))
                     OR (c.mediator_id IS NOT NULL AND (u.role <> 'mediator' OR u.workstation_id <> c.workstation_id))`,
      agreement: `SELECT 1 FROM cases c LEFT JOIN agreements a ON a.case_id = c.id
                  WHERE (a.id IS NOT NULL) <> (c.status IN ('agreement_reached', 'confirmation_requested', 'confirmed', 'confirmation_rejected'))
                     OR a.signed_at <> c.concluded_at OR a.agreed_amount > c.claim_amount`,
      installments: `SELECT 1 FROM agreements a JOIN installments i ON i.agreement_id = a.id GROUP BY a.id, a.agreed_amount
                     HAVING sum(i.amount) <> a.agreed_amount OR min(i.seq) <> 1 OR max(i.seq) <> count(*)`,
      paidInPast: `SELECT 1 FROM installments WHERE paid_at > $1`,
      confirmation: `SELECT 1 FROM cases c LEFT JOIN confirmations f ON f.case_id = c.id
                     WHERE (f.id IS NOT NULL) <> (c.status IN ('confirmation_requested', 'confirmed', 'confirmation_rejected'))
                        OR f.status <> CASE c.status WHEN 'confirmed' THEN 'confirmed' WHEN 'confirmation_rejected' THEN 'rejected' ELSE 'pending' END
                        OR f.workstation_id <> c.workstation_id OR (f.ruled_at IS NOT NULL) <> (f.status <> 'pending') OR f.ruled_at > $1`,
      sessions: `SELECT 1 FROM case_sessions s JOIN cases c ON c.id = s.case_id
                 WHERE (s.status = 'held' AND s.scheduled_at > $1) OR (s.status = 'scheduled' AND (s.scheduled_at <= $1 OR c.status <> 'assigned' AND c.status <> 'in_mediation'))`,
      inMediationHasHeldSession: `SELECT 1 FROM cases c WHERE c.status = 'in_mediation' AND NOT EXISTS (SELECT 1 FROM case_sessions s WHERE s.case_id = c.id AND s.status = 'held')`,
    };
    for (const [rule, sql] of Object.entries(violations)) {
      const params = sql.includes('$1') ? [now] : [];
      expect({ rule, violations: await count(sql, params) }).toEqual({ rule, violations: 0 });
    }
  });

  it('writes a timeline in time order whose length is each case version and whose last event is its updated_at', async () => {
    expect(
      await count(`SELECT 1 FROM cases c JOIN (SELECT case_id, count(*) AS n, max(at) AS last, min(type) FILTER (WHERE id = first) AS first_type
                                              FROM (SELECT *, min(id) OVER (PARTITION BY case_id) AS first FROM case_events) e GROUP BY case_id) e ON e.case_id = c.id
                    WHERE c.version <> e.n OR c.updated_at <> e.last OR e.first_type <> 'case_registered'`),
    ).toBe(0);
    expect(await count(`SELECT 1 FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id)`)).toBe(0);
    expect(await count(`SELECT 1 FROM (SELECT at < lag(at) OVER (PARTITION BY case_id ORDER BY id) AS back FROM case_events) x WHERE back`)).toBe(0);
    expect(await count(`SELECT 1 FROM case_events WHERE at > $1`, [now])).toBe(0);
    // Still append-only.
    await expect(db.query(`UPDATE case_events SET type = 'x' WHERE id = (SELECT min(id) FROM case_events)`)).rejects.toThrow(/append-only/);
  });

  it('refuses to write over existing data unless told to reset, and then replaces it', async () => {
    await expect(generateBenchData(url, { cases: 10, workstations: 1, mediators: 1, now })).rejects.toThrow(/--reset/);
    const again = await generateBenchData(url, { cases: 50, workstations: 2, mediators: 2, now, reset: true });
    expect(again).toMatchObject({ cases: 50, workstations: 2, users: 2 * 2 + 2 + 2 });
    expect(await count(`SELECT 1 FROM cases`)).toBe(50);
    expect(await count(`SELECT 1 FROM case_number_counters`)).toBe(await count(`SELECT DISTINCT workstation_id, split_part(case_number, '-', 2) FROM cases`));
  });
});
