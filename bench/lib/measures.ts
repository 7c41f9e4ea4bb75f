/**
 * Measures beyond the load scenarios (which compare app and floor request by request): each one
 * runs against the app that is up, by name in `--only`, and returns its figures and its targets.
 * To add one (e.g. the web page at 1M, the documents), write it in its own file under bench/lib and
 * add it to MEASURES.
 */
import type { Client } from 'pg';
import { EXPORT_COMPARISON_ROWS } from './documents';
import { measureExport } from './export';
import { runPaced, RequestSpec } from './load';
import type { BenchOptions } from './options';
import type { MemorySampler, ServerProcess } from './processes';
import type { Target } from './report-types';
import type { Fixtures } from './scenarios';

export interface MeasureContext {
  app: ServerProcess;
  floor: ServerProcess;
  pg: Client;
  mem: MemorySampler;
  o: BenchOptions;
  fixtures: Fixtures;
  databaseUrl: string;
  today: string;
  log: (line: string) => void;
}

export interface MeasureResult {
  figures: unknown;
  targets: Target[];
}

export interface Measure {
  name: string;
  description: string;
  run(ctx: MeasureContext): Promise<MeasureResult>;
}

/** One- and two-character terms: common surnames and full names, a company-name pair, digits of a number. */
export const SHORT_SEARCH_TERMS = ['张伟', '李娜', '王芳', '刘洋', '陈静', '张', '宏达', '伟', '物流', '88'];

const get = (path: string, token: string): RequestSpec => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } });
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const round = (x: number) => Math.round(x * 10) / 10;

/** Sequential requests, one at a time (unloaded): their latencies, sorted. */
async function sequential(url: string, specs: RequestSpec[], rounds: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const s of specs) {
      const t0 = performance.now();
      const res = await fetch(`${url}${s.path}`, { headers: s.headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${s.path}: ${res.status}`);
      latencies.push(performance.now() - t0);
    }
  }
  return latencies.sort((a, b) => a - b);
}

const search: Measure = {
  name: 'search',
  description: `GET /cases?q= with one- and two-character terms (${SHORT_SEARCH_TERMS.join(' ')}), one request at a time, admin and workstation staff`,
  async run({ app, fixtures, o, log }) {
    const specs = SHORT_SEARCH_TERMS.flatMap((t) => [
      get(`/api/v1/cases?q=${encodeURIComponent(t)}`, fixtures.tokens.admin),
      get(`/api/v1/cases?q=${encodeURIComponent(t)}`, fixtures.tokens.staff[0]),
    ]);
    await sequential(app.url, specs, 1); // warm-up
    const latencies = await sequential(app.url, specs, o.smoke ? 1 : 5);
    const perTerm: Record<string, number> = {};
    const perTermStaff: Record<string, number> = {};
    for (const t of SHORT_SEARCH_TERMS) {
      const one = await sequential(app.url, [get(`/api/v1/cases?q=${encodeURIComponent(t)}`, fixtures.tokens.admin)], 3);
      perTerm[t] = round(percentile(one, 50));
      const staff = await sequential(app.url, [get(`/api/v1/cases?q=${encodeURIComponent(t)}`, fixtures.tokens.staff[0])], 3);
      perTermStaff[t] = round(percentile(staff, 50));
    }
    const p50 = round(percentile(latencies, 50));
    const p99 = round(percentile(latencies, 99));
    log(`  search unloaded: p50 ${p50} ms, p99 ${p99} ms over ${latencies.length} requests; admin p50 per term: ${JSON.stringify(perTerm)}; workstation staff: ${JSON.stringify(perTermStaff)}`);
    return {
      figures: { requests: latencies.length, p50, p99, perTermAdminP50: perTerm, perTermStaffP50: perTermStaff },
      targets: [{ what: 'search: 1-2 character terms, p50 unloaded', limit: '< 20 ms', value: p50, unit: 'ms', pass: p50 < 20 }],
    };
  },
};

/** What the app looked like during a phase, sampled every 250 ms: its CPU, its pool, its event loop (GET /metrics). */
interface AppSample {
  cpuPct: number;
  poolInUse: number;
  poolWaiting: number;
  loopLagMaxMs: number;
  /** Share of the interval the app's main thread was ready to run but waited for a core (/proc schedstat): the machine's doing, not the app's. */
  runQueuePct: number;
}

/** GET /metrics as text ('' when it fails). */
const scrapeMetrics = (app: ServerProcess) =>
  fetch(`${app.url}/metrics`)
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');

/**
 * Samples the app until `done` settles; returns the mean CPU, the maxima of the pool and the loop lag,
 * and the loop lag's median over the samples. prom-client's lag maximum covers the time since the
 * previous scrape: the caller scrapes once just before the phase (resetMetricsWindow), else the first
 * sample would carry everything since the app started (its startup, the run's ANALYZE and parity checks).
 */
async function sampleApp(app: ServerProcess, done: Promise<unknown>): Promise<{ cpuPctMean: number; poolInUseMax: number; poolWaitingMax: number; loopLagMaxMs: number; loopLagP50Ms: number; runQueuePctMean: number; runQueuePctMax: number }> {
  const { readFileSync } = await import('node:fs');
  const ticks = () => {
    const f = readFileSync(`/proc/${app.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]);
  };
  // The main thread's time waiting on a run queue, in ns (the second field of schedstat).
  const runQueueNs = () => Number(readFileSync(`/proc/${app.pid}/task/${app.pid}/schedstat`, 'utf8').split(' ')[1]);
  let lastRunQueueNs = runQueueNs();
  const samples: AppSample[] = [];
  let finished = false;
  void done.finally(() => (finished = true));
  let lastTicks = ticks();
  let lastAt = performance.now();
  while (!finished) {
    await new Promise((r) => setTimeout(r, 250));
    const text = await scrapeMetrics(app);
    const metric = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN);
    const now = performance.now();
    const t = ticks();
    // Linux reports CPU time in ticks of 10 ms.
    const runQueue = runQueueNs();
    samples.push({
      cpuPct: ((t - lastTicks) * 10 * 100) / (now - lastAt),
      poolInUse: metric('db_pool_in_use'),
      poolWaiting: metric('db_pool_waiting'),
      loopLagMaxMs: metric('nodejs_eventloop_lag_max_seconds') * 1000,
      runQueuePct: ((runQueue - lastRunQueueNs) / 1e6 / (now - lastAt)) * 100,
    });
    lastRunQueueNs = runQueue;
    lastTicks = t;
    lastAt = now;
  }
  const max = (k: keyof AppSample) => round(Math.max(...samples.map((x) => x[k]).filter(Number.isFinite)));
  const lags = samples.map((x) => x.loopLagMaxMs).filter(Number.isFinite).sort((a, b) => a - b);
  return {
    cpuPctMean: round(samples.reduce((a, x) => a + x.cpuPct, 0) / Math.max(1, samples.length)),
    poolInUseMax: max('poolInUse'),
    poolWaitingMax: max('poolWaiting'),
    loopLagMaxMs: max('loopLagMaxMs'),
    loopLagP50Ms: round(percentile(lags, 50)),
    runQueuePctMean: round(samples.reduce((a, x) => a + x.runQueuePct, 0) / Math.max(1, samples.length)),
    runQueuePctMax: max('runQueuePct'),
  };
}

const burst: Measure = {
  name: 'burst',
  description: 'other users’ lists at 50/s, quiet and while one user fires 20 searches and CSV exports a second',
  async run({ app, fixtures, o, log }) {
    const burster = fixtures.tokens.staff[0];
    let i = 0;
    const heavy = (): RequestSpec =>
      i++ % 4 === 0 ? get(`/api/v1/cases/export.csv`, burster) : get(`/api/v1/cases?q=${encodeURIComponent(SHORT_SEARCH_TERMS[i % SHORT_SEARCH_TERMS.length])}`, burster);
    let k = 0;
    const others = fixtures.tokens.staff.slice(1);
    const lists = ['', '?status=assigned,in_mediation', '?overdue=true', '?page=2'];
    const list = (): RequestSpec => get(`/api/v1/cases${lists[k % lists.length]}`, others[k++ % others.length]);
    const durationSec = o.durationSec;
    await scrapeMetrics(app); // starts the loop lag's window here (sampleApp)
    const quietRun = runPaced({ url: app.url, next: list, rate: 50, durationSec, maxConnections: o.connections });
    const [quiet, appQuiet] = await Promise.all([quietRun, sampleApp(app, quietRun)]);
    await scrapeMetrics(app);
    const burstRun = Promise.all([
      runPaced({ url: app.url, next: list, rate: 50, durationSec, maxConnections: o.connections }),
      runPaced({ url: app.url, next: heavy, rate: 20, durationSec, maxConnections: o.connections }),
    ]);
    const [[during, heavyLoad], appDuring] = await Promise.all([burstRun, sampleApp(app, burstRun)]);
    const rejected = heavyLoad.statusCodes['429'] ?? 0;
    log(`  others' lists at 50/s: p99 ${quiet.p99} ms quiet, ${during.p99} ms during the burst (${heavyLoad.total} heavy requests, ${rejected} answered 429)`);
    log(`  the app quiet: ${JSON.stringify(appQuiet)}; during the burst: ${JSON.stringify(appDuring)}`);
    return {
      figures: { quiet, during, heavy: { total: heavyLoad.total, statusCodes: heavyLoad.statusCodes }, appQuiet, appDuring },
      targets: [
        { what: "burst: other users' list p99 during it", limit: '< 100 ms', value: during.p99, unit: 'ms', pass: during.p99 < 100 && during.non2xx === 0 && during.errors === 0 },
        { what: 'burst: the bursting user gets 429s', limit: '> 0', value: rejected, unit: '', pass: rejected > 0 },
      ],
    };
  },
};

const exportMeasure: Measure = {
  name: 'export',
  description: 'GET /cases/export.csv of every case against COPY (same SELECT) TO STDOUT WITH CSV; the .xlsx of the newest 100,000 cases beside it',
  async run({ app, pg, fixtures, databaseUrl, mem, o, today, log }) {
    const cases = Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM cases')).rows[0].n);
    const m = await measureExport(app.url, fixtures.tokens.admin, databaseUrl, mem, log, { today, cases, xlsxRows: o.smoke ? 500 : EXPORT_COMPARISON_ROWS, rounds: o.smoke ? 1 : 3 });
    log(`  export: app ${m.app.mbPerSec} MB/s (${m.app.rowsPerSec} rows/s) against COPY ${m.copy.mbPerSec} MB/s (${m.copy.rowsPerSec} rows/s): ${m.ratio}`);
    return {
      figures: m,
      targets: [
        { what: `export: CSV rows/s ÷ COPY's (app ${m.app.mbPerSec} MB/s)`, limit: '≥ 0.7', value: m.ratio, unit: '×', pass: m.ratio >= 0.7 },
        { what: 'export: app RSS rise during the CSV', limit: '< 50 MB', value: round(m.app.rssPeakMb - m.app.rssBeforeMb), unit: 'MB', pass: m.app.rssPeakMb - m.app.rssBeforeMb < 50 },
      ],
    };
  },
};

/** In the order they run, after the load scenarios and before the reminder burst. */
export const MEASURES: Measure[] = [search, burst, exportMeasure];
