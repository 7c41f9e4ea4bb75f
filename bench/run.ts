/**
 * `npm run bench`: load and scale figures for the built app at a million cases.
 *
 *   npm run build && npm run bench                # full: 1,000,000 cases in mediation_bench (generated once)
 *   node dist/bench/run.js --smoke                # everything tiny, in a throwaway database (CI)
 *   node dist/bench/run.js --cases 200000 --duration 5 --runs 1 --only intake,list
 *
 * The app (dist/src/main.js, WORKERS=all, LOG_LEVEL=warn) and the floor (bench/floor-server.ts:
 * the same SQL over raw pg on node:http) run as child processes against the same database;
 * autocannon drives both at 50 connections, in alternation, `--runs` times, and the medians are
 * reported. Then both again at a fixed offered rate of half the floor's throughput. Then the
 * reminder burst. The figures are printed and written to bench/results/.
 */
import { firstPageJs } from './lib/web-bundle';
import 'reflect-metadata';
import Redis from 'ioredis';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { addDays, shanghaiDate } from '../src/common/business-time';
import { migrate } from '../src/database/migrate';
import { BENCH_PASSWORD, DEFAULT_BENCH_DB_URL, generateBenchData, GenerateResult } from './generate';
import { explainQueries, QueryPlan } from './lib/explain';
import { LoadResult, median, RequestSpec, runLoad, runPaced } from './lib/load';
import { freePort, MemorySampler, productionNodeFlags, ServerProcess } from './lib/processes';
import { runReminderBurst, ReminderBurstResult } from './lib/reminders';
import { renderMarkdown, renderTable } from './lib/report';

const ROOT = resolve(__dirname, '..', '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');

export interface BenchOptions {
  smoke: boolean;
  cases: number;
  durationSec: number;
  warmupSec: number;
  runs: number;
  connections: number;
  reminders: number;
  /** Seconds between writing the reminder burst and its falling due. */
  reminderLeadSec: number;
  databaseUrl: string;
  regenerate: boolean;
  snapshots: boolean;
  only: string[] | null;
  /** Offer the fixed rate with autocannon's overallRate (bursts every second) instead of the paced generator. */
  autocannonRate: boolean;
}

function parseArgs(argv: string[]): BenchOptions {
  const smoke = argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
  const o: BenchOptions = {
    smoke,
    cases: smoke ? 2000 : 1_000_000,
    durationSec: smoke ? 1 : 10,
    warmupSec: smoke ? 0.5 : 3,
    runs: smoke ? 1 : 3,
    connections: 50,
    reminders: smoke ? 500 : 100_000,
    reminderLeadSec: smoke ? 5 : 60,
    databaseUrl: smoke ? dbUrlNamed(`mediation_bench_smoke_${process.pid}`) : (process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL),
    regenerate: smoke,
    snapshots: !smoke,
    only: null,
    autocannonRate: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === '--smoke') continue;
    else if (a === '--cases') o.cases = num();
    else if (a === '--duration') o.durationSec = num();
    else if (a === '--warmup') o.warmupSec = num();
    else if (a === '--runs') o.runs = Math.max(1, Math.round(num()));
    else if (a === '--connections') o.connections = num();
    else if (a === '--reminders') o.reminders = num();
    else if (a === '--reminder-lead') o.reminderLeadSec = num();
    else if (a === '--regenerate') o.regenerate = true;
    else if (a === '--no-snapshots') o.snapshots = false;
    else if (a === '--only') o.only = argv[++i].split(',');
    else if (a === '--autocannon-rate') o.autocannonRate = true;
    else throw new Error(`unknown argument ${a}; see the header of bench/run.ts`);
  }
  return o;
}

function dbUrlNamed(name: string): string {
  const u = new URL(process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface Target {
  what: string;
  limit: string;
  value: number | null;
  unit: string;
  pass: boolean;
}

export interface ScenarioResult {
  name: string;
  description: string;
  floor: { saturated: LoadResult[]; fixed: LoadResult[] };
  app: { saturated: LoadResult[]; fixed: LoadResult[] };
  fixedRate: number;
  appPeakRssMb: number;
  /** Medians over the runs. */
  summary: {
    floorRps: number;
    appRps: number;
    ratio: number;
    appP50: number;
    appP99: number;
    floorP50: number;
    floorP99: number;
    appFixedP50: number;
    appFixedP99: number;
    appFixedRps: number;
    floorFixedP50: number;
    floorFixedP99: number;
    non2xx: number;
    errors: number;
  };
}

export interface BenchReport {
  startedAt: string;
  mode: 'smoke' | 'full';
  machine: { cpus: number; memoryGb: number; node: string; postgres: string; loadAverageBefore: number[]; loadAverageAfter?: number[] };
  options: Omit<BenchOptions, 'databaseUrl'> & { database: string };
  data: { cases: number; events: number; generated?: GenerateResult; snapshotDays?: number; snapshotsComputed?: number; snapshotSeconds?: number };
  scenarios: ScenarioResult[];
  reminders?: ReminderBurstResult;
  memory: { appVmHwmMb: number; afterStartMb?: number; afterSnapshotsMb?: number };
  targets: Target[];
  plans: QueryPlan[];
  /** What the app logged at warn level or above (distinct messages, with how often). */
  appLog: Array<{ message: string; count: number }>;
  /** The floor answers the read requests with the same figures as the app (else it would not be a floor of the same work). */
  parity: Parity[];
}

interface Parity {
  path: string;
  app: string;
  floor: string;
  same: boolean;
}

interface Fixtures {
  workstations: Array<{ id: string; code: string }>;
  caseIds: string[];
  mediatorId: string;
  /** A whole case number to search for (q=). */
  searchCaseNumber: string;
  tokens: { admin: string; staff: string[] };
  period: { from: string; to: string };
}

async function loadFixtures(db: Client): Promise<Omit<Fixtures, 'tokens' | 'period'>> {
  const { rows: workstations } = await db.query(`SELECT id, code FROM workstations ORDER BY code`);
  // Cases from the whole five years, so that reading one is not always a cached recent page.
  let { rows: sample } = await db.query(`SELECT id FROM cases TABLESAMPLE SYSTEM (2) LIMIT 20000`);
  if (sample.length < 100) sample = (await db.query(`SELECT id FROM cases ORDER BY random() LIMIT 20000`)).rows;
  const caseIds = sample.map((r) => r.id as string).sort(() => Math.random() - 0.5);
  const [{ mediator_id }] = (await db.query(`SELECT mediator_id FROM cases WHERE workstation_id = $1 AND mediator_id IS NOT NULL LIMIT 1`, [workstations[0].id])).rows;
  const [{ case_number }] = (await db.query(`SELECT case_number FROM cases WHERE id = $1`, [caseIds[0]])).rows;
  return { workstations, caseIds, mediatorId: mediator_id, searchCaseNumber: case_number };
}

async function login(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: BENCH_PASSWORD }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** A scenario: a rotation of requests (paths, users, bodies) that both servers answer. */
interface Scenario {
  name: string;
  description: string;
  next: () => RequestSpec;
  /** p99 target at 50 connections (ms), or at the fixed rate for intake. */
  p99TargetMs?: number;
  ratioTarget?: number;
  fixedP99TargetMs?: number;
}

function rotate<T>(items: T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length];
}

function scenarios(f: Fixtures): { scenarios: Scenario[]; reads: RequestSpec[] } {
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
    { name: 'list', description: 'GET /cases?... (7 filter mixes: work queue, overdue, status, type+period, mediator, search, plain)', next: lists, p99TargetMs: 50 },
    { name: 'case', description: 'GET /cases/:id (random cases of five years, admin)', next: () => get(`/api/v1/cases/${caseIds()}`, admin), p99TargetMs: 50 },
    { name: 'summary', description: 'GET /stats/summary over five years (all, one workstation)', next: summaries, p99TargetMs: 50 },
    { name: 'timeseries', description: 'GET /stats/timeseries?interval=month over five years', next: series },
    { name: 'intake', description: 'POST /cases (union staff of 20 workstations in turn)', next: intake, ratioTarget: 0.7, fixedP99TargetMs: 25 },
  ];
  return { scenarios: list, reads: [...listSpecs, ...summarySpecs, ...seriesSpecs] };
}

async function runScenario(s: Scenario, app: ServerProcess, floor: ServerProcess, mem: MemorySampler, o: BenchOptions, log: (l: string) => void): Promise<ScenarioResult> {
  const load = (server: ServerProcess, durationSec: number, rate?: number) =>
    rate && !o.autocannonRate
      ? runPaced({ url: server.url, next: s.next, rate, durationSec, maxConnections: o.connections })
      : runLoad({ url: server.url, next: s.next, connections: o.connections, durationSec, overallRate: rate });
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
    non2xx: all.reduce((n, x) => n + x.non2xx, 0),
    errors: all.reduce((n, x) => n + x.errors, 0),
  };
  return result;
}

const last = <T>(xs: T[]) => xs[xs.length - 1];

function targetsOf(report: BenchReport, defs: Scenario[]): Target[] {
  const targets: Target[] = [];
  for (const s of report.scenarios) {
    const def = defs.find((d) => d.name === s.name)!;
    if (def.ratioTarget !== undefined) {
      targets.push({ what: `${s.name}: throughput / floor (50 conn.)`, limit: `≥ ${def.ratioTarget}`, value: s.summary.ratio, unit: '×', pass: s.summary.ratio >= def.ratioTarget });
    }
    if (def.fixedP99TargetMs !== undefined) {
      targets.push({ what: `${s.name}: p99 at ${s.fixedRate}/s`, limit: `< ${def.fixedP99TargetMs} ms`, value: s.summary.appFixedP99, unit: 'ms', pass: s.summary.appFixedP99 < def.fixedP99TargetMs });
    }
    if (def.p99TargetMs !== undefined) {
      targets.push({ what: `${s.name}: p99 at 50 connections`, limit: `< ${def.p99TargetMs} ms`, value: s.summary.appP99, unit: 'ms', pass: s.summary.appP99 < def.p99TargetMs });
    }
  }
  targets.push({ what: 'app peak memory (VmHWM)', limit: '< 300 MB', value: report.memory.appVmHwmMb, unit: 'MB', pass: report.memory.appVmHwmMb < 300 });
  if (report.reminders) {
    const r = report.reminders;
    targets.push({ what: `reminders: ${r.count} due at once, all delivered`, limit: '< 60 s', value: r.allDeliveredSec, unit: 's', pass: r.allDeliveredSec !== null && r.allDeliveredSec < 60 });
    targets.push({ what: 'reminders: exactly one notification each', limit: `${r.count}`, value: r.notificationsForDistinctReminders, unit: '', pass: r.exactlyOnce });
  }
  return targets;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const startedAt = new Date();
  const dbName = new URL(o.databaseUrl).pathname.slice(1);
  log(`bench (${o.smoke ? 'smoke' : 'full'}): ${o.cases} cases in ${dbName}, ${o.connections} connections, ${o.runs} × ${o.durationSec} s per measure`);
  const web = firstPageJs(join(ROOT, 'dist', 'web'));
  log(web ? `web application: first page ${web.files} JavaScript files, ${(web.gzippedBytes / 1024).toFixed(1)} kB gzipped (${(web.bytes / 1024).toFixed(1)} kB raw; budget 300 kB gzipped)` : 'web application: not built (npm run build)');

  // Data: generated once per database (a later run reuses it, plus what earlier runs' intake added),
  // migrated to the app's schema first.
  if (!o.regenerate) await migrate(o.databaseUrl, 'run', (l) => log(`migrations: ${l}`));
  const db = new Client({ connectionString: o.databaseUrl });
  let generated: GenerateResult | undefined;
  let present = 0;
  if (!o.regenerate) {
    try {
      await db.connect();
      present = Number((await db.query(`SELECT count(*) AS n FROM cases`)).rows[0].n);
    } catch {
      present = 0; // no database or no schema yet
    }
    await db.end().catch(() => undefined);
  }
  if (o.regenerate || present < o.cases * 0.99) {
    log(`generating ${o.cases} cases...`);
    generated = await generateBenchData(o.databaseUrl, { cases: o.cases, reset: true, log: (l) => log(`  ${l.trim()}`) });
    log(`generated in ${generated.seconds} s`);
  } else {
    log(`reusing ${present} cases in ${dbName} (--regenerate to start over)`);
  }
  const pg = new Client({ connectionString: o.databaseUrl, application_name: 'bench-run' });
  await pg.connect();

  const queuePrefix = `bench-${startedAt.getTime().toString(36)}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const jwtSecret = `bench-${Math.random().toString(36).slice(2)}-secret-0123456789`;
  const app = new ServerProcess('app', join(ROOT, 'dist', 'src', 'main.js'), await freePort(), {
    NODE_ENV: 'production',
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'warn',
    WORKERS: 'all',
    LOGIN_RATE_LIMIT: '100000',
  }, [...productionNodeFlags(ROOT), ...(process.env.BENCH_APP_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)]);
  const floor = new ServerProcess('floor', join(__dirname, 'floor-server.js'), await freePort(), { DATABASE_URL: o.databaseUrl, DB_POOL_SIZE: '20' });
  const mem = new MemorySampler(app.pid);
  let failed = false;
  try {
    await Promise.all([app.ready('/health/ready'), floor.ready('/health')]);
    mem.start();
    const rssAfterStart = mem.takeWindowPeakMb();
    const base = await loadFixtures(pg);
    const tokens = { admin: await login(app.url, 'bench_admin'), staff: [] as string[] };
    for (const w of base.workstations) tokens.staff.push(await login(app.url, `${w.code.toLowerCase()}_staff`));
    const today = shanghaiDate(new Date());
    const fixtures: Fixtures = { ...base, tokens, period: { from: addDays(today, -5 * 365), to: today } };

    const report: BenchReport = {
      startedAt: startedAt.toISOString(),
      mode: o.smoke ? 'smoke' : 'full',
      machine: await machineInfo(pg),
      options: { ...o, database: dbName } as BenchReport['options'],
      data: { cases: 0, events: 0, generated },
      scenarios: [],
      memory: { appVmHwmMb: 0, afterStartMb: rssAfterStart },
      targets: [],
      plans: [],
      appLog: [],
      parity: [],
    };
    delete (report.options as Partial<BenchOptions>).databaseUrl;

    if (o.snapshots) {
      // As in production, past days come from the daily snapshots: the missing ones are computed
      // through the app's own recompute job (the first time: every day of the five years).
      const t0 = Date.now();
      const to = addDays(today, -1);
      const days = Math.round((Date.parse(to) - Date.parse(fixtures.period.from)) / 86_400_000) + 1;
      // Missing: past days without a current snapshot, and whole months without a current rollup (where the schema has them).
      const hasMonths = (await pg.query(`SELECT to_regclass('stats_snapshot_months') IS NOT NULL AS yes`)).rows[0].yes as boolean;
      const covered = async () =>
        (
          await pg.query(
            `WITH missing AS (
               SELECT d::date AS day FROM generate_series($1::date, $2::date, interval '1 day') d
                WHERE NOT EXISTS (SELECT 1 FROM stats_snapshot_days s WHERE s.day = d::date)
               ${hasMonths ? `UNION ALL
               SELECT m::date FROM generate_series(date_trunc('month', $1::date), $2::date, interval '1 month') m
                WHERE m::date >= $1::date AND (m + interval '1 month')::date - 1 <= $2::date
                  AND NOT EXISTS (SELECT 1 FROM stats_snapshot_months s WHERE s.month = m::date)` : ''})
             SELECT count(*)::int AS n, min(day)::text AS first FROM missing`,
            [fixtures.period.from, to],
          )
        ).rows[0] as { n: number; first: string | null };
      const missing = await covered();
      if (missing.n > 0) {
        const from = missing.first!.slice(0, 10);
        const res = await fetch(`${app.url}/api/v1/stats/recompute`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
          body: JSON.stringify({ from, to }),
        });
        if (res.status !== 202) throw new Error(`stats recompute: ${res.status} ${await res.text()}`);
        log(`computing statistics snapshots: ${missing.n} days or months missing; recomputing ${from} to ${to}...`);
        for (;;) {
          const left = await covered();
          if (left.n === 0) break;
          if (Date.now() - t0 > 30 * 60_000) throw new Error(`snapshots: ${left.n} days or months still missing after 30 minutes`);
          await new Promise((r) => setTimeout(r, 1000));
        }
        report.data.snapshotSeconds = Math.round((Date.now() - t0) / 100) / 10;
        log(`snapshots done in ${report.data.snapshotSeconds} s`);
      }
      report.memory.afterSnapshotsMb = mem.takeWindowPeakMb();
      report.data.snapshotDays = days;
      report.data.snapshotsComputed = missing.n;
    }
    // Fresh tables have no planner statistics until autovacuum gets to them (and some servers run
    // with it off): without them the statistics queries plan as if the tables were empty.
    const tAnalyze = Date.now();
    await pg.query('ANALYZE');
    log(`analyze: ${((Date.now() - tAnalyze) / 1000).toFixed(1)} s`);

    const { scenarios: all, reads } = scenarios(fixtures);
    report.parity = await checkParity(app, floor, reads);
    for (const p of report.parity.filter((x) => !x.same)) {
      failed = true;
      log(`  floor and app disagree on ${p.path}: app ${p.app}, floor ${p.floor}`);
    }
    // The plans before any load (and before intake adds its cases).
    report.plans = await explainQueries(pg, reads);
    const defs = all.filter((s) => !o.only || o.only.includes(s.name));
    for (const s of defs) {
      log(`${s.name}: ${s.description}`);
      const r = await runScenario(s, app, floor, mem, o, log);
      report.scenarios.push(r);
      if (r.summary.non2xx || r.summary.errors) {
        failed = true;
        log(`  ${s.name}: ${r.summary.non2xx} non-2xx responses, ${r.summary.errors} errors: ${JSON.stringify([...r.app.saturated, ...r.floor.saturated].map((x) => x.statusCodes))}`);
      }
    }

    if (!o.only || o.only.includes('reminders')) {
      log(`reminders: ${o.reminders} due at once`);
      report.reminders = await runReminderBurst(pg, o.reminders, o.reminderLeadSec, o.smoke ? 60 : 900, log);
      if (!report.reminders.exactlyOnce || report.reminders.allDeliveredSec === null) failed = true;
    }

    report.memory.appVmHwmMb = mem.highWaterMarkMb();
    report.machine.loadAverageAfter = (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100);
    const counts = (await pg.query(`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events`)).rows[0];
    report.data.cases = counts.cases;
    report.data.events = counts.events;
    report.targets = targetsOf(report, defs);
    report.appLog = distinctLogLines(app.log);

    const table = renderTable(report);
    log('\n' + table);
    mkdirSync(RESULTS_DIR, { recursive: true });
    // Only a whole run gets the dated name that is committed; a partial one must not overwrite it.
    const whole = !o.only && o.snapshots && o.runs >= 3 && o.durationSec >= 10;
    const stem = o.smoke ? 'smoke' : whole ? `${startedAt.toISOString().slice(0, 10)}-${Math.round(o.cases / 1000)}k-cases` : 'partial';
    writeFileSync(join(RESULTS_DIR, `${stem}.json`), JSON.stringify(report, null, 2) + '\n');
    writeFileSync(join(RESULTS_DIR, `${stem}.md`), renderMarkdown(report, table));
    log(`written to bench/results/${stem}.md and .json`);
  } catch (e) {
    failed = true;
    console.error(`bench failed: ${(e as Error).stack ?? e}`);
    console.error(`--- app output ---\n${app.log.slice(-4000)}`);
  } finally {
    mem.stop();
    await Promise.all([app.stop(), floor.stop()]);
    // What this run's intake planned would be re-enqueued by the next run's app: retire it.
    await pg.query(`UPDATE reminders SET status = 'cancelled', cancelled_at = now() WHERE status IN ('pending', 'enqueued') AND created_at >= $1`, [startedAt]).catch(() => undefined);
    await pg.end();
    await dropQueueKeys(redisUrl, queuePrefix).catch((e) => console.error(`redis cleanup: ${(e as Error).message}`));
    if (o.smoke) await dropDatabase(o.databaseUrl);
  }
  process.exit(failed ? 1 : 0);
}

/** What both servers must agree on for a read: the list's total and first ids, the figures. */
async function checkParity(app: ServerProcess, floor: ServerProcess, reads: RequestSpec[]): Promise<Parity[]> {
  const essence = (path: string, body: any): string => {
    if (path.startsWith('/api/v1/cases?')) return JSON.stringify({ total: body.total, ids: body.items?.map((c: { id: string }) => c.id) });
    const figures = (f: any) => [f.received, f.concluded, f.agreements, f.failed, f.withdrawn, f.confirmed, f.amountAgreed];
    if (path.includes('/summary')) return JSON.stringify([...figures(body), body.overdueOpen]);
    return JSON.stringify((body.points ?? []).filter((p: any) => p.received || p.concluded).map((p: any) => [p.month, ...figures(p)]));
  };
  const out: Parity[] = [];
  for (const spec of reads) {
    const [a, f] = await Promise.all(
      [app, floor].map(async (server) => {
        const res = await fetch(server.url + spec.path, { headers: spec.headers });
        return res.ok ? essence(spec.path, await res.json()) : `HTTP ${res.status}`;
      }),
    );
    out.push({ path: spec.path, app: a, floor: f, same: a === f && !a.startsWith('HTTP') });
  }
  return out;
}

/** The app logs JSON lines (pino); errors repeat under load, so they are counted by message. */
function distinctLogLines(output: string): Array<{ message: string; count: number }> {
  const counts = new Map<string, number>();
  for (const line of output.split('\n').filter(Boolean)) {
    let message = line;
    try {
      const entry = JSON.parse(line);
      message = [entry.msg, entry.err?.message ?? entry.error?.message].filter(Boolean).join(': ') || line;
    } catch {
      // not JSON
    }
    message = message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').slice(0, 300);
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count).slice(0, 30);
}

async function machineInfo(pg: Client): Promise<BenchReport['machine']> {
  const os = await import('node:os');
  const { rows } = await pg.query(`SELECT version()`);
  return {
    cpus: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: String(rows[0].version).split(' on ')[0],
    loadAverageBefore: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
