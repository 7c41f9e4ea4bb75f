import { Client } from 'pg';
import { caseBody, caseInState } from '../utils/case-factory';
import { makeWorkstationTeam } from '../utils/factories';
import { dbUrl } from '../setup/test-env';
import { createTestApp, TestApp } from '../utils/test-app';
import { Api, ApiResponse, listen } from './support';

jest.setTimeout(120_000);

/**
 * Database faults answer 409 or 503 with Retry-After, never a 500, and lose nothing:
 * - one case's row held by a slow transaction while 25 writers pile onto it: the writers give up
 *   after the short lock_timeout (409 CASE_BUSY), and other users are answered within a second;
 * - every connection of the app killed by the server (as in a database restart) under a stream
 *   of intakes: failures are 503 with Retry-After, every 201 is in the database.
 */
describe('reliability: a locked case, connections killed', () => {
  let t: TestApp;
  let api: Api;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  beforeAll(async () => {
    t = await createTestApp({ workers: false, env: { DB_POOL_SIZE: '10', LOG_LEVEL: process.env.DEBUG_LOG ? 'error' : 'silent' } });
    api = await listen(t);
    team = await makeWorkstationTeam(t);
  });
  afterAll(() => t.close());

  it('lets 25 writers on a locked case give up with 409 and Retry-After while others are answered within a second', async () => {
    const locked = await caseInState(t, team, 'assigned');
    const other = await caseInState(t, team, 'assigned');
    const holder = new Client({ connectionString: dbUrl(t.database) });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM cases WHERE id = $1 FOR UPDATE', [locked.id]);

    // 25 writers keep at it for 3 s, each retrying after the Retry-After it is given.
    const written: ApiResponse[] = [];
    let holding = true;
    const writers = Array.from({ length: 25 }, async (_, i) => {
      while (holding) {
        const res = await api.post(`/cases/${locked.id}/notes`, { token: team.mediator.token, body: { text: `第${i}次联系` }, timeoutMs: 10_000 });
        written.push(res);
        if (res.status !== 409) return;
        expect(Number(res.headers?.['retry-after'])).toBeGreaterThan(0);
        await new Promise((r) => setTimeout(r, 1000));
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    const others: ApiResponse[] = [];
    for (let i = 0; i < 5; i++) {
      others.push(await api.get(`/cases/${other.id}`, { token: team.staff.token }));
      others.push(await api.post(`/cases/${other.id}/notes`, { token: team.mediator.token, body: { text: `其他案件 ${i}` } }));
      others.push(await api.get('/cases?pageSize=5', { token: team.staff.token }));
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1000));
    holding = false;
    await holder.query('ROLLBACK');
    await holder.end();
    await Promise.all(writers);
    if (process.env.DEBUG_LOG) console.log(others.map((r) => `${r.status}:${Math.round(r.ms)}`).join(' '), written.map((r) => `${r.status}:${Math.round(r.ms)}`).join(' '));
    for (const res of others) expect([res.status, res.ms < 1000]).toEqual([res.status < 300 ? res.status : 200, true]);
    const statuses = written.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const busy = written.filter((r) => r.status === 409);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) expect(r.body).toMatchObject({ code: 'CASE_BUSY', messageZh: expect.stringMatching(/稍后重试/) });
    // Every writer that was told 201 has its note; none of the refused ones does.
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND after::text LIKE '%次联系%'`, [locked.id]);
    expect(n).toBe(statuses.filter((s) => s === 201).length);
    const after = await api.post(`/cases/${locked.id}/notes`, { token: team.mediator.token, body: { text: '锁释放后' } });
    expect(after.status).toBe(201);
  });

  it('answers 503 with Retry-After, never 500, when the database drops every connection, and loses no accepted write', async () => {
    const results: ApiResponse[] = [];
    const kill = async () => {
      const admin = new Client({ connectionString: dbUrl(t.database) });
      await admin.connect();
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [t.database]);
      await admin.end();
    };
    let stop = false;
    const stream = (async () => {
      while (!stop) {
        const res = await api.post('/cases', { token: team.staff.token, body: caseBody(team.ws.id), timeoutMs: 10_000 }).catch(() => undefined);
        if (res) results.push(res);
      }
    })();
    const readers = (async () => {
      while (!stop) {
        const res = await api.get('/cases?pageSize=5', { token: team.staff.token, timeoutMs: 10_000 }).catch(() => undefined);
        if (res) results.push(res);
      }
    })();
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 300));
      await kill();
    }
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all([stream, readers]);

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    for (const r of results.filter((x) => x.status === 503)) {
      expect(r.body).toMatchObject({ statusCode: 503, code: 'UNAVAILABLE', messageZh: expect.any(String) });
      expect(Number(r.headers?.['retry-after'])).toBeGreaterThan(0);
    }
    const accepted = results.filter((r) => r.status === 201).map((r) => r.body.id);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[])`, [accepted]);
    expect(n).toBe(accepted.length);
    // Afterwards everything works again.
    const res = await api.post('/cases', { token: team.staff.token, body: caseBody(team.ws.id) });
    expect(res.status).toBe(201);
  });
});
