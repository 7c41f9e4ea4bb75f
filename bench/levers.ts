/**
 * A/B of builds of the app on one route mix, in the same run: the floor and every build given are
 * started side by side and driven in turn (floor, A, B, ... per round) with autocannon at 50
 * connections, so that a lever's effect is read against the same machine load.
 *
 *   node dist/bench/levers.js --app base=/tmp/base --app new=. --only case,list --duration 5 --runs 3 [--pool 20]
 *   node dist/bench/levers.js --app base=/tmp/base --app new=. --only case --rate 150   # latency at a fixed offered rate
 *   node dist/bench/levers.js --app all=. --app-env all:WORKERS=all --app api=. --only summary --rate 240   # an app's own settings
 *
 * `--rate R` drives each server with the open loop of run.js's half-rate measure (runPaced: one
 * request every 1/R s, latency counted from when it was due) instead of 50 closed-loop
 * connections, and reports the medians of each round's p50 and p99: the latency targets of
 * issue 17, with the servers taking turns so that all see the same machine.
 *
 * Each `--app label=root` is a folder holding a built app (its start:prod script, `root/dist/bundle/main.js`, its
 * package.json and node_modules). The database is DATABASE_URL: list, case, summary and
 * timeseries read it; intake writes cases into it (a few hundred a second per server: give it a
 * database of your own, e.g. one made by `generate.js --cases 20000`, rather than a shared one). The apps run WORKERS=api so that their background jobs do not compete
 * (`--app-env label:NAME=value` sets an environment variable of one app, e.g. `all:WORKERS=all` as run.js runs it).
 * Besides requests per second (which on a busy machine say as much about the neighbours), each
 * server's own CPU time per answered request is reported (µs, from /proc): the per-request cost;
 * and, for the apps, the part of it in garbage collection (GC µs/req, prom-client's
 * nodejs_gc_duration_seconds from GET /metrics, scraped before and after each drive).
 */
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_BENCH_DB_URL } from './generate';
import { LoadResult, median, runLoad, runPaced } from './lib/load';
import { cpuSeconds, freePort, ServerProcess, startProductionServer } from './lib/processes';
import { Fixtures, loadFixtures, login, scenarios } from './lib/scenarios';
import { addDays, shanghaiDate } from '../src/common/business-time';

interface LeverOptions {
  apps: Array<{ label: string; root: string; env: Record<string, string> }>;
  only: string[];
  durationSec: number;
  warmupSec: number;
  runs: number;
  connections: number;
  /** DB_POOL_SIZE of the floor and of every app: all of them hold their pools at once (max_connections is shared). */
  poolSize: number;
  /** Requests per second of an open loop (runPaced); none: 50 closed-loop connections (autocannon). */
  rate?: number;
}

function parse(argv: string[]): LeverOptions {
  const o: LeverOptions = { apps: [], only: ['case', 'list'], durationSec: 5, warmupSec: 2, runs: 3, connections: 50, poolSize: 20 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i];
    if (a === '--app') {
      const [label, root] = value().split('=');
      o.apps.push({ label, root: resolve(root), env: {} });
    } else if (a === '--app-env') {
      // label:NAME=value, e.g. all:WORKERS=all (run.js's app runs its workers; levers' run WORKERS=api).
      const m = /^([^:]+):([A-Z_][A-Z0-9_]*)=(.*)$/.exec(value() ?? '');
      const app = m && o.apps.find((x) => x.label === m[1]);
      if (!m || !app) throw new Error(`--app-env needs label:NAME=value after that label's --app`);
      app.env[m[2]] = m[3];
    } else if (a === '--only') o.only = value().split(',');
    else if (a === '--duration') o.durationSec = Number(value());
    else if (a === '--warmup') o.warmupSec = Number(value());
    else if (a === '--runs') o.runs = Number(value());
    else if (a === '--connections') o.connections = Number(value());
    else if (a === '--pool') o.poolSize = Number(value());
    else if (a === '--rate') o.rate = Number(value());
    else throw new Error(`unknown argument ${a}; see the header of bench/levers.ts`);
  }
  if (!o.apps.length) throw new Error('give at least one --app label=root');
  return o;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const jwtSecret = `levers-${Math.random().toString(36).slice(2)}-secret-0123456789`;
  const extraFlags = (process.env.BENCH_APP_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const servers: Array<{ label: string; server: ServerProcess }> = [];
  servers.push({ label: 'floor', server: new ServerProcess('floor', join(__dirname, 'floor-server.js'), await freePort(), { DATABASE_URL: databaseUrl, DB_POOL_SIZE: String(o.poolSize) }) });
  for (const a of o.apps) {
    const env = { NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: `levers-${a.label.replace(/[^A-Za-z0-9_-]/g, '_')}-${process.pid}`, JWT_SECRET: jwtSecret, LOG_LEVEL: 'warn', WORKERS: 'api', LOGIN_RATE_LIMIT: '100000', DB_POOL_SIZE: String(o.poolSize), ...a.env };
    servers.push({ label: a.label, server: await startProductionServer(a.label, a.root, env, extraFlags) });
  }
  const pg = new Client({ connectionString: databaseUrl, application_name: 'bench-levers' });
  try {
    await Promise.all(servers.map((s) => s.server.ready(s.label === 'floor' ? '/health' : '/health/ready')));
    console.log(`started: ${servers.map((s) => `${s.label} pid ${s.server.pid}`).join(', ')}`);
    await pg.connect();
    const base = await loadFixtures(pg);
    const app0 = servers[1].server;
    const tokens = { admin: await login(app0.url, 'bench_admin'), staff: [] as string[] };
    for (const w of base.workstations) tokens.staff.push(await login(app0.url, `${w.code.toLowerCase()}_staff`));
    const today = shanghaiDate(new Date());
    const fixtures: Fixtures = { ...base, tokens, period: { from: addDays(today, -5 * 365), to: today } };
    const { scenarios: all } = scenarios(fixtures);
    for (const name of o.only) {
      const s = all.find((x) => x.name === name);
      if (!s) throw new Error(`no scenario ${name}`);
      const rps: Record<string, number[]> = Object.fromEntries(servers.map((x) => [x.label, []]));
      const p50: Record<string, number[]> = Object.fromEntries(servers.map((x) => [x.label, []]));
      const p99: Record<string, number[]> = Object.fromEntries(servers.map((x) => [x.label, []]));
      const drive = (url: string, durationSec: number): Promise<LoadResult> =>
        o.rate ? runPaced({ url, next: s.next, rate: o.rate, durationSec, maxConnections: o.connections }) : runLoad({ url, next: s.next, connections: o.connections, durationSec });
      const cpuUs: Record<string, number[]> = Object.fromEntries(servers.map((x) => [x.label, []]));
      const gcUs: Record<string, number[]> = Object.fromEntries(servers.map((x) => [x.label, []]));
      if (o.warmupSec > 0) for (const x of servers) await drive(x.server.url, o.warmupSec);
      for (let r = 0; r < o.runs; r++) {
        // Rotate the order each round so that no build always follows the same one.
        const order = servers.map((_, i) => servers[(i + r) % servers.length]);
        for (const x of order) {
          const gc0 = await gcSeconds(x.server.url);
          const cpu0 = cpuSeconds(x.server.pid);
          const res = await drive(x.server.url, o.durationSec);
          cpuUs[x.label].push(Math.round(((cpuSeconds(x.server.pid) - cpu0) * 1e6) / Math.max(1, res.total)));
          const gc1 = await gcSeconds(x.server.url);
          if (gc0 !== null && gc1 !== null) gcUs[x.label].push(Math.round(((gc1 - gc0) * 1e6) / Math.max(1, res.total)));
          if (res.non2xx || res.errors) console.log(`  ${x.label} ${name}: ${res.non2xx} non-2xx, ${res.errors} errors ${JSON.stringify(res.statusCodes)}`);
          rps[x.label].push(res.rps);
          p50[x.label].push(res.p50);
          p99[x.label].push(res.p99);
        }
        const latency = (label: string) => (o.rate ? ` p50 ${p50[label][r]} p99 ${p99[label][r]} ms` : '');
        const gc = (label: string) => (gcUs[label].length > r ? ` (GC ${gcUs[label][r]})` : '');
        console.log(`${name} round ${r + 1}: ${order.map((x) => `${x.label} ${rps[x.label][r]}/s ${cpuUs[x.label][r]} µs CPU/req${gc(x.label)}${latency(x.label)}`).join(' | ')}`);
      }
      const floor = median(rps.floor);
      const floorCpu = median(cpuUs.floor);
      console.log(`\n| ${name}${o.rate ? ` at ${o.rate}/s` : ''} | req/s | ÷ floor | p50 ms | p99 ms | CPU µs/req | CPU beyond floor µs | GC µs/req |`);
      console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
      for (const x of servers) {
        const cpu = median(cpuUs[x.label]);
        const gc = gcUs[x.label].length ? median(gcUs[x.label]) : '-';
        console.log(`| ${x.label} | ${median(rps[x.label])} | ${(median(rps[x.label]) / floor).toFixed(2)} | ${median(p50[x.label])} | ${median(p99[x.label])} | ${cpu} | ${cpu - floorCpu} | ${gc} |`);
      }
      console.log('');
    }
  } finally {
    await pg.end().catch(() => undefined);
    await Promise.all(servers.map((s) => s.server.stop()));
  }
}

/**
 * The seconds an app's main thread has spent in garbage collection (prom-client's
 * nodejs_gc_duration_seconds, every kind, from GET /metrics); null for a server without it (the floor).
 */
async function gcSeconds(url: string): Promise<number | null> {
  const text = await fetch(`${url}/metrics`)
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  const sums = [...text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} ([0-9.e+-]+)$/gm)].map((m) => Number(m[1]));
  return sums.length ? sums.reduce((a, b) => a + b, 0) : null;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
