import { Client } from 'pg';
import { addDays } from '../../src/common/business-time';
import { BENCH_PASSWORD } from '../generate';
import { LoadResult, median, RequestSpec, runLoad, runPaced } from './load';
import type { BenchOptions } from './options';
import { cpuSeconds, MemorySampler, ServerProcess } from './processes';
import type { BenchReport, ScenarioResult, Target } from './report-types';

/** The load scenarios: what each sends, how it is run against app and floor, and its targets. */
export interface Fixtures {
  workstations: Array<{ id: string; code: string }>;
  caseIds: string[];
  mediatorId: string;
  /** A whole case number to search for (q=). */
  searchCaseNumber: string;
  tokens: { admin: string; staff: string[] };
  period: { from: string; to: string };
}

export async function loadFixtures(db: Client): Promise<Omit<Fixtures, 'tokens' | 'period'>> {
  const { rows: workstations } = await db.query(`SELECT id, code FROM workstations ORDER BY code`);
  // Cases from the whole five years, so that reading one is not always a cached recent page.
  let { rows: sample } = await db.query(`SELECT id FROM cases TABLESAMPLE SYSTEM (2) LIMIT 20000`);
  if (sample.length < 100) sample = (await db.query(`SELECT id FROM cases ORDER BY random() LIMIT 20000`)).rows;
  const caseIds = sample.map((r) => r.id as string).sort(() => Math.random() - 0.5);
  const [{ mediator_id }] = (await db.query(`SELECT mediator_id FROM cases WHERE workstation_id = $1 AND mediator_id IS NOT NULL LIMIT 1`, [workstations[0].id])).rows;
  const [{ case_number }] = (await db.query(`SELECT case_number FROM cases WHERE id = $1`, [caseIds[0]])).rows;
  return { workstations, caseIds, mediatorId: mediator_id, searchCaseNumber: case_number };
}

export async function login(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: BENCH_PASSWORD }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** A scenario: a rotation of requests (paths, users, bodies) that both servers answer. */
export interface Scenario {
  name: string;
  description: string;
  next: () => RequestSpec;
  /** Reads and writes have different latency targets at the fixed rate (TARGETS). */
  kind: 'read' | 'write';
}

/**
 * Issue 17's targets for every scenario: throughput against the floor at 50 connections, and at
 * half the floor's rate the app's p50 and its p99 against the floor's p99 in the same run.
 */
export const TARGETS = {
  ratio: 0.85,
  fixedP50Ms: { read: 5, write: 10 } as Record<Scenario['kind'], number>,
  fixedP99OverFloor: 1.5,
  appPeakMb: 200,
  remindersSec: 15,
};

function rotate<T>(items: T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length];
}

export function scenarios(f: Fixtures): { scenarios: Scenario[]; reads: RequestSpec[] } {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const ws = f.workstations;
  const staff = (i: number) => bearer(f.tokens.staff[i % f.tokens.staff.length]);
  const admin = bearer(f.tokens.admin);
  const recentFrom = addDays(f.period.to, -90);

  let n = 0;
  const sources = ['walk_in', 'hotline', 'arbitration_referral'];
  const types = ['wage_arrears', 'dismissal', 'social_insurance', 'work_injury', 'overtime', 'compensation', 'other'];
  const intake = (): RequestSpec => {
    const i = n++;
    const w = i % ws.length;
    return {
      method: 'POST',
      path: '/api/v1/cases',
      headers: staff(w),
      body: JSON.stringify({
        workstationId: ws[w].id,
        source: sources[i % sources.length],
        disputeType: types[i % types.length],
        summary: '申请人主张被申请人拖欠3个月工资，要求支付工资及经济补偿',
        claimAmount: `${10000 + (i % 5000)}.50`,
        applicant: { name: '张三', idNumber: '440104199001011234', phone: '13800000000' },
        respondent: { name: '广州市宏达电子科技有限公司', creditCode: '91440101MA5ABCDE0X', phone: '020-12345678' },
      }),
    };
  };

  const get = (path: string, headers: Record<string, string>): RequestSpec => ({ method: 'GET', path, headers });
  const listSpecs = [
    get(`/api/v1/cases?status=assigned,in_mediation`, staff(0)),
    get(`/api/v1/cases?overdue=true`, staff(0)),
    get(`/api/v1/cases`, staff(1)),
    get(`/api/v1/cases?workstationId=${ws[1 % ws.length].id}&status=confirmed&page=5`, admin),
    get(`/api/v1/cases?disputeType=wage_arrears&receivedFrom=${recentFrom}&receivedTo=${f.period.to}`, admin),
    get(`/api/v1/cases?mediatorId=${f.mediatorId}&page=2`, admin),
    get(`/api/v1/cases?q=${encodeURIComponent(f.searchCaseNumber)}`, admin),
  ];
  const lists = rotate(listSpecs);
  const caseIds = rotate(f.caseIds);
  const period = `from=${f.period.from}&to=${f.period.to}`;
  const summarySpecs = [
    get(`/api/v1/stats/summary?${period}`, admin),
    get(`/api/v1/stats/summary?${period}`, staff(0)),
    get(`/api/v1/stats/summary?${period}&workstationId=${ws[3 % ws.length].id}`, admin),
  ];
  const seriesSpecs = [get(`/api/v1/stats/timeseries?interval=month&${period}`, admin), get(`/api/v1/stats/timeseries?interval=month&${period}`, staff(1))];
  const summaries = rotate(summarySpecs);
  const series = rotate(seriesSpecs);

  // Reads first: intake adds tens of thousands of cases received "today", which no real day has
  // (a province receives about 550), and which the live part of the statistics would then count.
  const list = [
    { name: 'list', description: 'GET /cases?... (7 filter mixes: work queue, overdue, status, type+period, mediator, search, plain)', next: lists, kind: 'read' as const },
    { name: 'case', description: 'GET /cases/:id (random cases of five years, admin)', next: () => get(`/api/v1/cases/${caseIds()}`, admin), kind: 'read' as const },
    { name: 'summary', description: 'GET /stats/summary over five years (all, one workstation)', next: summaries, kind: 'read' as const },
    { name: 'timeseries', description: 'GET /stats/timeseries?interval=month over five years', next: series, kind: 'read' as const },
    { name: 'intake', description: 'POST /cases (union staff of 20 workstations in turn)', next: intake, kind: 'write' as const },
  ];
  return { scenarios: list, reads: [...listSpecs, ...summarySpecs, ...seriesSpecs] };
}

export async function runScenario(s: Scenario, app: ServerProcess, floor: ServerProcess, mem: MemorySampler, o: BenchOptions, log: (l: string) => void): Promise<ScenarioResult> {
  const load = async (server: ServerProcess, durationSec: number, rate?: number): Promise<LoadResult> => {
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    const res = await (rate && !o.autocannonRate
      ? runPaced({ url: server.url, next: s.next, rate, durationSec, maxConnections: o.connections })
      : runLoad({ url: server.url, next: s.next, connections: o.connections, durationSec, overallRate: rate }));
    const cpu = cpuSeconds(server.pid) - cpu0;
    const wallSec = (performance.now() - t0) / 1000;
    return { ...res, serverCpu: { usPerRequest: Math.round((cpu * 1e6) / Math.max(1, res.total)), coreShare: Math.round((cpu / wallSec) * 100) / 100 } };
  };
  if (o.warmupSec > 0) {
    await load(floor, o.warmupSec);
    await load(app, o.warmupSec);
  }
  const result: ScenarioResult = {
    name: s.name,
    description: s.description,
    floor: { saturated: [], fixed: [] },
    app: { saturated: [], fixed: [] },
    fixedRate: 0,
    appPeakRssMb: 0,
    summary: {} as ScenarioResult['summary'],
  };
  mem.takeWindowPeakMb();
  for (let r = 0; r < o.runs; r++) {
    result.floor.saturated.push(await load(floor, o.durationSec));
    result.app.saturated.push(await load(app, o.durationSec));
    log(`  ${s.name} run ${r + 1}: floor ${last(result.floor.saturated).rps}/s p99 ${last(result.floor.saturated).p99} ms | app ${last(result.app.saturated).rps}/s p99 ${last(result.app.saturated).p99} ms`);
  }
  result.fixedRate = Math.max(1, Math.round(median(result.floor.saturated.map((x) => x.rps)) / 2));
  for (let r = 0; r < o.runs; r++) {
    result.floor.fixed.push(await load(floor, o.durationSec, result.fixedRate));
    result.app.fixed.push(await load(app, o.durationSec, result.fixedRate));
    log(`  ${s.name} at ${result.fixedRate}/s run ${r + 1}: floor p99 ${last(result.floor.fixed).p99} ms | app ${last(result.app.fixed).rps}/s p99 ${last(result.app.fixed).p99} ms`);
  }
  result.appPeakRssMb = mem.takeWindowPeakMb();
  const m = (xs: LoadResult[], k: keyof LoadResult) => median(xs.map((x) => x[k] as number));
  const all = [...result.floor.saturated, ...result.floor.fixed, ...result.app.saturated, ...result.app.fixed];
  const floorRps = m(result.floor.saturated, 'rps');
  const appRps = m(result.app.saturated, 'rps');
  result.summary = {
    floorRps,
    appRps,
    ratio: floorRps ? Math.round((appRps / floorRps) * 100) / 100 : 0,
    appP50: m(result.app.saturated, 'p50'),
    appP99: m(result.app.saturated, 'p99'),
    floorP50: m(result.floor.saturated, 'p50'),
    floorP99: m(result.floor.saturated, 'p99'),
    appFixedP50: m(result.app.fixed, 'p50'),
    appFixedP99: m(result.app.fixed, 'p99'),
    appFixedRps: m(result.app.fixed, 'rps'),
    floorFixedP50: m(result.floor.fixed, 'p50'),
    floorFixedP99: m(result.floor.fixed, 'p99'),
    appCpuUsPerRequest: median(result.app.saturated.map((x) => x.serverCpu?.usPerRequest ?? 0)),
    floorCpuUsPerRequest: median(result.floor.saturated.map((x) => x.serverCpu?.usPerRequest ?? 0)),
    appCoreShare: median(result.app.saturated.map((x) => x.serverCpu?.coreShare ?? 0)),
    floorCoreShare: median(result.floor.saturated.map((x) => x.serverCpu?.coreShare ?? 0)),
    non2xx: all.reduce((n, x) => n + x.non2xx, 0),
    errors: all.reduce((n, x) => n + x.errors, 0),
  };
  return result;
}

const last = <T>(xs: T[]) => xs[xs.length - 1];

export function targetsOf(report: BenchReport, defs: Scenario[]): Target[] {
  const targets: Target[] = [];
  for (const s of report.scenarios) {
    const def = defs.find((d) => d.name === s.name)!;
    const m = s.summary;
    targets.push({ what: `${s.name}: throughput / floor (50 conn.)`, limit: `≥ ${TARGETS.ratio}`, value: m.ratio, unit: '×', pass: m.ratio >= TARGETS.ratio });
    const p50Limit = TARGETS.fixedP50Ms[def.kind];
    // The floor's own p50 at the same rate says how much of the app's is the machine (PostgreSQL and the cores it shares).
    targets.push({ what: `${s.name}: p50 at ${s.fixedRate}/s (floor's ${m.floorFixedP50.toFixed(1)})`, limit: `< ${p50Limit} ms`, value: m.appFixedP50, unit: 'ms', pass: m.appFixedP50 < p50Limit });
    const p99Limit = Math.round(TARGETS.fixedP99OverFloor * m.floorFixedP99 * 10) / 10;
    targets.push({ what: `${s.name}: p99 at ${s.fixedRate}/s vs ${TARGETS.fixedP99OverFloor}× floor's`, limit: `≤ ${p99Limit} ms`, value: m.appFixedP99, unit: 'ms', pass: m.appFixedP99 <= p99Limit });
  }
  targets.push({ what: 'app peak memory (VmHWM)', limit: `< ${TARGETS.appPeakMb} MB`, value: report.memory.appVmHwmMb, unit: 'MB', pass: report.memory.appVmHwmMb < TARGETS.appPeakMb });
  if (report.reminders) {
    const r = report.reminders;
    targets.push({ what: `reminders: ${r.count} due at once, all delivered`, limit: `< ${TARGETS.remindersSec} s`, value: r.allDeliveredSec, unit: 's', pass: r.allDeliveredSec !== null && r.allDeliveredSec < TARGETS.remindersSec });
    targets.push({ what: 'reminders: exactly one notification each', limit: `${r.count}`, value: r.notificationsForDistinctReminders, unit: '', pass: r.exactlyOnce });
  }
  return targets;
}
