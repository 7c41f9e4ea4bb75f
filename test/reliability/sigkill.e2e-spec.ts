import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dbUrl } from '../setup/test-env';
import { caseBody } from '../utils/case-factory';
import { freePort } from '../utils/redis-server';
import { createTestDatabase } from '../utils/test-app';
import { AppProcess, buildApp, BUILT_APP_ADMIN, builtAppEnv } from './built-app';
import { Api, sleep } from './support';

jest.setTimeout(180_000);

/**
 * The built app killed with SIGKILL in the middle of a stream of intakes and assignments (several
 * requests in flight), started again, three times over. Every answer the clients got is the truth:
 * what got a 2xx is there whole, what was in flight is there whole or not at all, and case numbers
 * stay gap-free per workstation and year.
 */

const KILLS = 3;
const IN_FLIGHT = 8;

interface Attempt {
  kind: 'intake' | 'assign';
  cycle: number;
  marker?: string;
  workstationId?: string;
  year?: number;
  caseId?: string;
  status: number | 'no answer';
  caseNumber?: string;
}

describe('reliability: SIGKILL in the middle of a stream of writes', () => {
  let app: AppProcess;
  let db: Client;
  let api: Api;
  let token: string;
  const workstations: Array<{ id: string; code: string; mediatorId: string }> = [];
  const attempts: Attempt[] = [];
  const inFlightAtKill: number[] = [];
  /** Cases an assignment was sent for (each is assigned once). */
  const picked = new Set<string>();

  beforeAll(async () => {
    const main = buildApp();
    const database = await createTestDatabase();
    app = new AppProcess(
      main,
      builtAppEnv(dbUrl(database), { DB_POOL_SIZE: '10' }),
      await freePort(),
    );
    db = new Client({ connectionString: dbUrl(database) });
    await db.connect();
    await app.start();
    api = new Api(`${app.origin}/api/v1`);
    const login = await api.post('/auth/login', { body: BUILT_APP_ADMIN });
    expect(login.status).toBe(200);
    token = login.body.accessToken;
    for (const code of ['KILL-A', 'KILL-B']) {
      const ws = await api.post('/workstations', { token, body: { code, name: `${code}工作室`, court: '某区人民法院', union: '某区总工会', region: '某市' } });
      expect(ws.status).toBe(201);
      const mediator = await api.post('/users', { token, body: { username: `med.${code.toLowerCase()}`, password: 'secret-123', displayName: '调解员', role: 'mediator', workstationId: ws.body.id } });
      expect(mediator.status).toBe(201);
      workstations.push({ id: ws.body.id, code, mediatorId: mediator.body.id });
    }
  });
  afterAll(async () => {
    await app?.stop();
    await db?.end();
  });

  /** Streams writes until stopped; each write is recorded with what the client saw. */
  function stream(cycle: number, stopped: () => boolean) {
    let inFlight = 0;
    let n = 0;
    const thisYear = new Date().getUTCFullYear();
    const writer = async (w: number) => {
      while (!stopped()) {
        n += 1;
        const assignable = attempts.filter((a) => a.kind === 'intake' && a.status === 201 && !picked.has(a.caseId!));
        inFlight += 1;
        try {
          if (w % 4 === 3 && assignable.length) {
            const target = assignable[n % assignable.length];
            const ws = workstations.find((x) => x.id === target.workstationId)!;
            const attempt: Attempt = { kind: 'assign', cycle, caseId: target.caseId, status: 'no answer' };
            attempts.push(attempt);
            picked.add(target.caseId!);
            const res = await api.post(`/cases/${attempt.caseId}/assign`, { token, body: { mediatorId: ws.mediatorId }, timeoutMs: 10_000 });
            attempt.status = res.status;
          } else {
            const ws = workstations[n % 2];
            const lastYear = n % 5 === 0;
            const marker = `SIGKILL 流 ${cycle}-${n}-${randomBytes(3).toString('hex')}`;
            const body = caseBody(ws.id, { summary: marker, ...(lastYear ? { receivedAt: `${thisYear - 1}-07-01T10:00:00+08:00` } : {}) });
            const attempt: Attempt = { kind: 'intake', cycle, marker, workstationId: ws.id, year: lastYear ? thisYear - 1 : thisYear, status: 'no answer' };
            attempts.push(attempt);
            const res = await api.post('/cases', { token, body, timeoutMs: 10_000 });
            attempt.status = res.status;
            if (res.status === 201) Object.assign(attempt, { caseId: res.body.id, caseNumber: res.body.caseNumber });
          }
        } catch {
          // The process died under the request: the client does not know what happened.
        } finally {
          inFlight -= 1;
        }
      }
    };
    return { done: Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => writer(w))), inFlight: () => inFlight };
  }

  it(`survives ${KILLS} SIGKILLs mid-stream: every 2xx is there whole, nothing is half-written, numbers stay gap-free`, async () => {
    for (let cycle = 1; cycle <= KILLS + 1; cycle++) {
      if (cycle > 1) await app.start();
      let stop = false;
      const s = stream(cycle, () => stop);
      const accepted = () => attempts.filter((a) => a.cycle === cycle && a.status === 201).length;
      const deadline = Date.now() + 15_000;
      while (accepted() < 40 && Date.now() < deadline) await sleep(10);
      expect(accepted()).toBeGreaterThanOrEqual(40);
      await sleep(Math.floor(Math.random() * 150));
      if (cycle <= KILLS) {
        inFlightAtKill.push(s.inFlight());
        await app.kill();
      }
      stop = true;
      await s.done;
    }

    // The restarted app puts the outbox rows the killed ones left behind on the queue.
    const pendingLeft = async () => Number((await db.query(`SELECT count(*)::int AS n FROM reminders WHERE status = 'pending'`)).rows[0].n);
    for (let i = 0; (await pendingLeft()) > 0 && i < 100; i++) await sleep(200);
    expect(await pendingLeft()).toBe(0);

    const intakes = attempts.filter((a) => a.kind === 'intake');
    const acceptedIntakes = intakes.filter((a) => a.status === 201);
    const unknown = intakes.filter((a) => a.status === 'no answer');
    expect(intakes.filter((a) => a.status !== 201 && a.status !== 'no answer')).toEqual([]);
    expect(inFlightAtKill.every((n) => n > 0)).toBe(true);

    // Every 201 is there whole: the row as answered, its registration event, its outbox rows.
    const rows: Array<{ id: string; case_number: string; summary: string; workstation_id: string; status: string; version: number; mediator_id: string | null; events: number; assigns: number; overdue_flags: number; other_events: number; overdue_checks: number; reminders: number }> =
      (
        await db.query(
          `SELECT c.id, c.case_number, c.summary, c.workstation_id, c.status, c.version, c.mediator_id,
                (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.type = 'case_registered') AS events,
                (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.type = 'mediator_assigned') AS assigns,
                  (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.type = 'flagged_overdue') AS overdue_flags,
                  (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.type NOT IN ('case_registered', 'mediator_assigned', 'flagged_overdue')) AS other_events,
                  (SELECT count(*)::int FROM reminders r WHERE r.case_id = c.id AND r.kind = 'mediation_overdue') AS overdue_checks,
                (SELECT count(*)::int FROM reminders r WHERE r.case_id = c.id) AS reminders
           FROM cases c`,
        )
      ).rows;
    const bySummary = new Map(rows.map((r) => [r.summary, r]));
    const lost = acceptedIntakes.filter((a) => {
      const row = bySummary.get(a.marker!);
      return !row || row.id !== a.caseId || row.case_number !== a.caseNumber;
    });
    expect(lost).toEqual([]);
    const thisYear = new Date().getUTCFullYear();
    for (const a of acceptedIntakes) {
      const row = bySummary.get(a.marker!)!;
      // Received now: both mediation reminders lie ahead. Received last year: the warning has passed and
      // is not written; the overdue check is written all the same (and flags the case at once).
      expect({ marker: a.marker, events: row.events, reminders: row.reminders, overdueChecks: row.overdue_checks }).toEqual({
        marker: a.marker,
        events: 1,
        reminders: a.year === thisYear ? 2 : 1,
        overdueChecks: 1,
      });
    }
    // What was in flight at a kill is there whole or not at all; nothing else is there.
    const markers = new Set(intakes.map((a) => a.marker));
    expect(rows.filter((r) => !markers.has(r.summary))).toEqual([]);
    const survivedUnknown = unknown.filter((a) => bySummary.has(a.marker!));

    // Nothing half-written: every case has exactly its one registration event, every event its case,
    // and the assignment and the version move together.
    expect(rows.filter((r) => r.events !== 1)).toEqual([]);
    const [{ orphans }] = (await db.query(`SELECT count(*)::int AS orphans FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id)`)).rows;
    expect(orphans).toBe(0);
    expect(
      rows.filter(
        (r) => r.other_events !== 0 || (r.mediator_id !== null) !== (r.assigns === 1) || r.version !== 1 + r.assigns + r.overdue_flags || (r.status === 'assigned') !== (r.assigns === 1),
      ),
    ).toEqual([]);
    const assigned = attempts.filter((a) => a.kind === 'assign' && a.status === 200);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(assigned.filter((a) => byId.get(a.caseId!)?.status !== 'assigned')).toEqual([]);

    // Case numbers: 1..N per workstation and year, N the counter.
    const counters: Array<{ workstation_id: string; year: number; last_value: number }> = (await db.query(`SELECT workstation_id, year, last_value FROM case_number_counters`)).rows;
    for (const k of counters) {
      const code = workstations.find((w) => w.id === k.workstation_id)!.code;
      const numbers = rows
        .filter((r) => r.workstation_id === k.workstation_id && r.case_number.startsWith(`${code}-${k.year}-`))
        .map((r) => Number(r.case_number.slice(-6)))
        .sort((a, b) => a - b);
      expect({ key: `${code}/${k.year}`, numbers }).toEqual({ key: `${code}/${k.year}`, numbers: Array.from({ length: k.last_value }, (_, i) => i + 1) });
    }
    expect(counters.reduce((sum, k) => sum + k.last_value, 0)).toBe(rows.length);

    console.log(
      `SIGKILL: ${KILLS} kills survived (in flight at each kill: ${inFlightAtKill.join(', ')}); ${attempts.length} writes sent, ` +
        `${acceptedIntakes.length} intakes and ${assigned.length} assignments acknowledged, ${lost.length} rows lost; ` +
        `${unknown.length} intakes without an answer, of which ${survivedUnknown.length} committed whole and ${unknown.length - survivedUnknown.length} not at all`,
    );
  });
});
