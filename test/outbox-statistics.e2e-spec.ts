import { DataSource, EntityManager } from 'typeorm';
import { RemindersRepository } from '../src/reminders/reminders.repository';
import { caseInState } from './utils/case-factory';
import { makeWorkstationTeam } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(60_000);

/**
 * A second bench burst on the same database was not delivered minutes after it fell due: the
 * previous burst's rows had been deleted and the table analyzed holding only dead rows, so the
 * statistics said "empty" (no rows, many pages), and marking 1,000 rows enqueued was planned as a
 * nested loop over the whole table per row. The dispatcher's statement must look the rows up by id
 * whatever the statistics say.
 */
describe('outbox statements whatever the planner\'s statistics say (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
  });
  afterAll(() => t.close());

  /** Marks the rows enqueued (one statement, checked), then the plan of that statement run again on them (rolled back). */
  async function markEnqueuedAndExplain(ids: string[]): Promise<string> {
    const statements: Array<{ sql: string; params: Parameters<DataSource['query']>[1] }> = [];
    const query = t.db.query.bind(t.db);
    const spy = jest.spyOn(t.db, 'query').mockImplementation(async (sql, params) => {
      statements.push({ sql, params });
      return query(sql, params);
    });
    try {
      await t.app.get(RemindersRepository).markEnqueued([{ jobId: ids[0], reminderIds: ids }], new Date());
    } finally {
      spy.mockRestore();
    }
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM reminders WHERE id = ANY($1::uuid[]) AND status = 'enqueued' AND job_id = $2`, [
      ids,
      ids[0],
    ]);
    expect(n).toBe(ids.length);
    expect(statements).toHaveLength(1);

    // The same statement again on the same rows (pending once more, rolled back): the rows it looks
    // at and throws away stay within one pass over the table, not the table once per marked row.
    let plan = '';
    await t.db
      .transaction(async (em) => {
        await em.query(`UPDATE reminders SET status = 'pending' WHERE id = ANY($1::uuid[])`, [ids]);
        const lines: Array<{ 'QUERY PLAN': string }> = await em.query(`EXPLAIN ANALYZE ${statements[0].sql}`, statements[0].params);
        plan = lines.map((l) => l['QUERY PLAN']).join('\n');
        throw new Error('roll back');
      })
      .catch((e: Error) => {
        if (e.message !== 'roll back') throw e;
      });
    return plan;
  }

  it('marks a burst enqueued in one pass over the table at most, not one per row', async () => {
    const team = await makeWorkstationTeam(t);
    const c = await caseInState(t, team, 'registered');
    // The trap: pages of dead rows only (as many as a burst of 100,000 leaves behind), analyzed.
    await t.db.query(
      `INSERT INTO reminders (kind, case_id, fire_at, due_at, status) SELECT 'mediation_deadline', $1, now(), now(), 'delivered' FROM generate_series(1, 200000)`,
      [c.id],
    );
    await t.db.query(`DELETE FROM reminders WHERE status = 'delivered'`);
    await t.db.query(`ANALYZE reminders`);
    const [stats] = await t.db.query(`SELECT relpages, reltuples FROM pg_class WHERE relname = 'reminders'`);
    expect({ pagesOfDeadRows: stats.relpages > 1000, believedEmpty: stats.reltuples < 10 }).toEqual({ pagesOfDeadRows: true, believedEmpty: true });

    // Rows written after the statistics were taken, as in a burst: live ones besides the 1,000 to mark.
    await t.db.query(
      `INSERT INTO reminders (kind, case_id, fire_at, due_at, status) SELECT 'mediation_deadline', $1, now(), now(), 'delivered' FROM generate_series(1, 50000)`,
      [c.id],
    );
    const burst: Array<{ id: string }> = await t.db.query(
      `INSERT INTO reminders (kind, case_id, fire_at, due_at, status) SELECT 'mediation_deadline', $1, now() + interval '1 hour', now() + interval '1 day', 'pending' FROM generate_series(1, 1000) RETURNING id`,
      [c.id],
    );
    const ids = burst.map((r) => r.id);
    const plan = await markEnqueuedAndExplain(ids);
    expect(plan).toMatch(/Update on reminders/);
    const discarded = [...plan.matchAll(/Rows Removed by (?:Join )?Filter: (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(discarded).toBeLessThan(3 * 51_000);
    expect(plan).not.toMatch(/Nested Loop/);
  });

  it('marks a burst written after the last ANALYZE looking at its own rows only, not at every pending row', async () => {
    const team = await makeWorkstationTeam(t);
    const c = await caseInState(t, team, 'registered');
    // Statistics taken when no row was pending, then a burst: the planner believes the pending index
    // nearly empty. A table big enough that reading it whole is not the cheap way to find 1,000 rows.
    await t.db.query(`DELETE FROM reminders`);
    await t.db.query(
      `INSERT INTO reminders (kind, case_id, fire_at, due_at, status) SELECT 'mediation_deadline', $1, now(), now(), 'delivered' FROM generate_series(1, 400000)`,
      [c.id],
    );
    await t.db.query(`VACUUM ANALYZE reminders`);
    await t.db.query(
      `INSERT INTO reminders (kind, case_id, fire_at, due_at, status) SELECT 'mediation_deadline', $1, now() + interval '1 hour', now() + interval '1 day', 'pending' FROM generate_series(1, 20000)`,
      [c.id],
    );
    const batch: Array<{ id: string }> = await t.db.query(`SELECT id FROM reminders WHERE status = 'pending' ORDER BY created_at, id LIMIT 1000`);
    const plan = await markEnqueuedAndExplain(batch.map((r) => r.id));
    expect(plan).toMatch(/Update on reminders/);
    const discarded = [...plan.matchAll(/Rows Removed by (?:Join )?Filter: (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    // Through the pending index with the ids as a filter, each batch looked at all 20,000 pending rows.
    expect(discarded).toBeLessThan(batch.length);
  });
  it('marks a delivery batch delivered looking at its own rows only, not at every active row', async () => {
    const team = await makeWorkstationTeam(t);
    const c = await caseInState(t, team, 'registered');
    // Statistics that say the table is empty (the bench purges its burst and analyzes), then a burst
    // of 20,000 enqueued rows, of which one batch is delivered.
    await t.db.query(`DELETE FROM reminders`);
    await t.db.query(`VACUUM ANALYZE reminders`);
    const burst: Array<{ id: string }> = await t.db.query(
      `INSERT INTO reminders (kind, case_id, fire_at, due_at, status, job_id) SELECT 'mediation_deadline', $1, now(), now() + interval '1 day', 'enqueued', gen_random_uuid() FROM generate_series(1, 20000) RETURNING id`,
      [c.id],
    );
    const ids = burst.slice(0, 500).map((r) => r.id);
    let plan = '';
    await t.db
      .transaction(async (em) => {
        const statements: Array<{ sql: string; params: unknown[] }> = [];
        const recording = { query: (sql: string, params: unknown[]) => (statements.push({ sql, params }), em.query(sql, params)) } as unknown as EntityManager;
        expect((await t.app.get(RemindersRepository).markDelivered(recording, ids, new Date())).size).toBe(500);
        expect(statements).toHaveLength(1);
        await em.query(`UPDATE reminders SET status = 'enqueued' WHERE id = ANY($1::uuid[])`, [ids]);
        const lines: Array<{ 'QUERY PLAN': string }> = await em.query(`EXPLAIN ANALYZE ${statements[0].sql}`, statements[0].params);
        plan = lines.map((l) => l['QUERY PLAN']).join('\n');
        throw new Error('roll back');
      })
      .catch((e: Error) => {
        if (e.message !== 'roll back') throw e;
      });
    expect(plan).toMatch(/Update on reminders/);
    // Through reminders_job_active_idx (a BitmapAnd with the primary key), each batch read all 20,000 active rows.
    expect(plan).not.toMatch(/reminders_job_active_idx|reminders_enqueued_fire_idx/);
    const largest = Math.max(...[...plan.matchAll(/actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/g)].map((m) => Number(m[1])));
    expect(largest).toBeLessThan(2000);
  });
});
