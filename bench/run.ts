/**
 * `npm run bench`: load and scale figures for the built app at a million cases.
 *
 *   npm run build && npm run bench                # full: 1,000,000 cases in mediation_bench (generated once)
 *   node dist/bench/run.js --smoke                # everything tiny, in a throwaway database (CI)
 *   node dist/bench/run.js --cases 200000 --duration 5 --runs 1 --only intake,list
 *
 * The app (start:prod's script, dist/bundle/main.js, WORKERS=all, LOG_LEVEL=warn) and the floor (bench/floor-server.ts:
 * the same SQL over raw pg on node:http) run as child processes against the same database;
 * autocannon drives both at 50 connections, in alternation, `--runs` times, and the medians are
 * reported. Then both again at a fixed offered rate of half the floor's throughput. Then the
 * reminder burst. The figures are printed and written to bench/results/.
 */
import { firstPageJs } from './lib/web-bundle';
import { reportDocuments } from './lib/documents';
import { reportSearchedPage } from './lib/web-page';
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { addDays, shanghaiDate } from '../src/common/business-time';
import { migrate } from '../src/database/migrate';
import { BENCH_PASSWORD, generateBenchData, GenerateResult } from './generate';
import { explainQueries } from './lib/explain';
import { MEASURES } from './lib/measures';
import { describeCheckpoint, freePort, MemoryCheckpoint, memoryCheckpoint, MemorySampler, ServerProcess, startProductionServer } from './lib/processes';
import { runReminderBurst } from './lib/reminders';
import { checkParity, distinctLogLines, dropDatabase, dropQueueKeys, machineInfo } from './lib/environment';
import { BenchOptions, parseArgs } from './lib/options';
import { renderMarkdown, renderTable } from './lib/report';
import type { BenchReport } from './lib/report-types';
import { Fixtures, loadFixtures, login, runScenario, scenarios, targetsOf } from './lib/scenarios';

export type { BenchOptions } from './lib/options';
export type { BenchReport, ScenarioResult, Target } from './lib/report-types';

const ROOT = resolve(__dirname, '..', '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');

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
  const app = await startProductionServer('app', ROOT, {
    NODE_ENV: 'production',
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'warn',
    WORKERS: 'all',
    LOGIN_RATE_LIMIT: '100000',
  }, (process.env.BENCH_APP_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean));
  const floor = new ServerProcess('floor', join(__dirname, 'floor-server.js'), await freePort(), { DATABASE_URL: o.databaseUrl, DB_POOL_SIZE: '20' });
  const mem = new MemorySampler(app.pid);
  let failed = false;
  try {
    await Promise.all([app.ready('/health/ready'), floor.ready('/health')]);
    mem.start();
    const rssAfterStart = mem.takeWindowPeakMb();
    const checkpoints: MemoryCheckpoint[] = [];
    const checkpoint = async (after: string) => {
      const point = await memoryCheckpoint(app, after);
      checkpoints.push(point);
      log(`  ${describeCheckpoint(point)}`);
    };
    await checkpoint('start');
    const base = await loadFixtures(pg);
    const tokens = { admin: await login(app.url, 'bench_admin'), staff: [] as string[] };
    for (const w of base.workstations) tokens.staff.push(await login(app.url, `${w.code.toLowerCase()}_staff`));
    const today = shanghaiDate(new Date());
    const fixtures: Fixtures = { ...base, tokens, period: { from: addDays(today, -5 * 365), to: today } };

    const report: BenchReport = {
      startedAt: startedAt.toISOString(),
      mode: o.smoke ? 'smoke' : 'full',
      machine: await machineInfo(pg),
      options: { ...o, database: dbName },
      data: { cases: 0, events: 0, generated },
      scenarios: [],
      memory: { appVmHwmMb: 0, afterStartMb: rssAfterStart, checkpoints },
      targets: [],
      plans: [],
      appLog: [],
      parity: [],
      measures: {},
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
      await checkpoint('the statistics snapshots');
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
      await checkpoint(`the ${s.name} scenario`);
      if (r.summary.non2xx || r.summary.errors) {
        failed = true;
        log(`  ${s.name}: ${r.summary.non2xx} non-2xx responses, ${r.summary.errors} errors: ${JSON.stringify([...r.app.saturated, ...r.floor.saturated].map((x) => x.statusCodes))}`);
      }
    }

    // Measures beyond the load scenarios (bench/lib/measures.ts: search, burst, export, and any added there).
    const measureTargets: BenchReport['targets'] = [];
    for (const m of MEASURES.filter((x) => !o.only || o.only.includes(x.name))) {
      log(`${m.name}: ${m.description}`);
      const r = await m.run({ app, floor, pg, mem, o, fixtures, databaseUrl: o.databaseUrl, today, log });
      report.measures[m.name] = r.figures;
      measureTargets.push(...r.targets);
      await checkpoint(`the ${m.name} measure`);
    }

    if (!o.only || o.only.includes('reminders')) {
      log(`reminders: ${o.reminders} due at once`);
      report.reminders = await runReminderBurst(pg, o.reminders, o.reminderLeadSec, o.smoke ? 60 : 900, log);
      if (!report.reminders.exactlyOnce || report.reminders.allDeliveredSec === null) failed = true;
    }

    report.memory.beforeDocumentsMb = mem.highWaterMarkMb();
    // The documents and the page have their own figures (memory rises included); the peak is read after them.
    // A measure that throws fails the run but still leaves the report of everything else.
    const failedMeasure = (name: string) => (e: unknown) => {
      log(`  FAIL ${name}: ${(e as Error).message}`);
      return false;
    };
    if (!(await reportDocuments(app, tokens.admin, pg, o.only, log).catch(failedMeasure('documents')))) failed = true;
    if (!o.only || o.only.includes('documents')) await checkpoint('the documents');
    if (!(await reportSearchedPage(app, { username: 'bench_admin', password: BENCH_PASSWORD }, pg, o.only, log).catch(failedMeasure('web')))) failed = true;
    if (!o.only || o.only.includes('web')) await checkpoint('the web page');
    report.memory.appVmHwmMb = mem.highWaterMarkMb();
    report.machine.loadAverageAfter = (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100);
    const counts = (await pg.query(`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events`)).rows[0];
    report.data.cases = counts.cases;
    report.data.events = counts.events;
    report.targets = [...targetsOf(report, defs), ...measureTargets];
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
    // What this run's intake planned would be re-enqueued by the next run's app: retire it. Only the
    // reminders of cases taken in since the start (a reminder burst removes its own rows), so that a
    // run beside this one keeps its burst.
    await pg
      .query(
        `UPDATE reminders SET status = 'cancelled', cancelled_at = now()
          WHERE status IN ('pending', 'enqueued') AND created_at >= $1 AND case_id IN (SELECT id FROM cases WHERE created_at >= $1)`,
        [startedAt],
      )
      .catch(() => undefined);
    await pg.end();
    await dropQueueKeys(redisUrl, queuePrefix).catch((e) => console.error(`redis cleanup: ${(e as Error).message}`));
    if (o.smoke) await dropDatabase(o.databaseUrl);
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
