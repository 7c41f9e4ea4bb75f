// A/B in the bench's order: per round, each app saturated (50 conn.) twice in turn, then each paced 3 times in turn; CPU µs/req per run.
'use strict';
const { startProductionServer, cpuSeconds } = require('/work/wt-disturb/dist/bench/lib/processes.js');
const { runLoad, runPaced, median } = require('/work/wt-disturb/dist/bench/lib/load.js');
const { loadFixtures, login, scenarios } = require('/work/wt-disturb/dist/bench/lib/scenarios.js');
const { addDays, shanghaiDate } = require('/work/wt-disturb/dist/src/common/business-time.js');
const { Client } = require('/work/wt-disturb/node_modules/pg');
const fs = require('node:fs');
const rounds = Number(process.argv[2] ?? 4), only = process.argv[3] ?? 'summary', dur = Number(process.argv[4] ?? 10);
(async () => {
  const db = 'postgres://postgres@127.0.0.1:5432/mediation_bench';
  const mk = (label, extra) => startProductionServer(label, '/work/wt-disturb', { NODE_ENV: 'production', DATABASE_URL: db, REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: `disturb-ab-${label}-${process.pid}`, JWT_SECRET: 'disturb-ab-secret-0123456789-abcdefgh', LOG_LEVEL: 'warn', WORKERS: 'api', LOGIN_RATE_LIMIT: '100000', DB_POOL_SIZE: '10', DISTURB_ROOT: '/work/wt-disturb', DISTURB_HOOK_OUT: `/tmp/disturb/ab/hook-${label}.jsonl`, ...extra }, ['--require', '/tmp/disturb/hook.js']);
  fs.mkdirSync('/tmp/disturb/ab', { recursive: true });
  const apps = [{ label: 'base', s: await mk('base', {}) }, { label: 'base2', s: await mk('base2', {}) }];
  await Promise.all(apps.map((a) => a.s.ready('/health/ready')));
  const pg = new Client({ connectionString: db }); await pg.connect();
  const base = await loadFixtures(pg); await pg.end();
  const tokens = { admin: await login(apps[0].s.url, 'bench_admin'), staff: [] };
  for (const w of base.workstations) tokens.staff.push(await login(apps[0].s.url, `${w.code.toLowerCase()}_staff`));
  const today = shanghaiDate(new Date());
  const sc = scenarios({ ...base, tokens, period: { from: addDays(today, -5 * 365), to: today } }).scenarios.find((x) => x.name === only);
  const measure = async (a, rate) => { const c0 = cpuSeconds(a.s.pid); const t0 = Date.now(); const r = rate ? await runPaced({ url: a.s.url, next: sc.next, rate, durationSec: dur, maxConnections: 50 }) : await runLoad({ url: a.s.url, next: sc.next, connections: 50, durationSec: dur }); return { t0, t1: Date.now(), rps: r.rps, p50: r.p50, us: Math.round(((cpuSeconds(a.s.pid) - c0) * 1e6) / Math.max(1, r.total)) }; };
  const res = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [apps[1], apps[0]] : apps;
    const sat = [];
    for (let k = 0; k < 2; k++) for (const a of order) { const m = await measure(a); sat.push(m.rps); res.push({ r, label: a.label, kind: 'sat', k, ...m }); }
    const rate = Math.max(20, Math.round(median(sat) / 2));
    for (let k = 0; k < 3; k++) for (const a of order) { const m = await measure(a, rate); res.push({ r, label: a.label, kind: 'paced', k, rate, ...m }); }
    console.log(JSON.stringify({ round: r, load: fs.readFileSync('/proc/loadavg', 'utf8').trim(), runs: res.filter((x) => x.r === r).map((x) => `${x.label} ${x.kind}${x.k + 1} ${x.rps}/s p50 ${x.p50} ${x.us}us`) }));
  }
  fs.writeFileSync('/tmp/disturb/ab/results.json', JSON.stringify(res));
  await Promise.all(apps.map((a) => a.s.stop()));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
