// node /tmp/gcx/drive.js <root> <label> '<env json>' <portOffset> [rate] [seconds]
const { spawn } = require('child_process');
const [root, label, envJson, off, rateArg, secArg] = process.argv.slice(2);
const { Client } = require(root + '/node_modules/pg');
const sc = require(root + '/dist/bench/lib/scenarios.js');
const load = require(root + '/dist/bench/lib/load.js');
const bt = require(root + '/dist/src/common/business-time.js');
const port = 41400 + Number(off || 0);
const rate = Number(rateArg || 346), secs = Number(secArg || 10);
const DB = process.env.GCX_DB || 'postgres://postgres@127.0.0.1:5432/mediation_bench';
const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=192', '--max-semi-space-size=8', ...(process.env.GCX_FLAGS||'').split(' ').filter(Boolean), '--require', '/tmp/caseread-gcx/gcobs.js', ...(process.env.GCX_PRE ? ['--require', process.env.GCX_PRE] : []), root + (process.env.GCX_MAIN || '/dist/bundle/main.js')], {
  env: { ...process.env, MALLOC_ARENA_MAX: '2', NODE_ENV: 'production', DATABASE_URL: DB, REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: 'gcxcr-' + label, JWT_SECRET: 'gcx-secret-0123456789abcdefghijklmnopqrstuv', LOG_LEVEL: 'warn', WORKERS: 'api', LOGIN_RATE_LIMIT: '100000', DB_POOL_SIZE: '10', PORT: String(port), ...JSON.parse(envJson || '{}') },
  stdio: ['ignore', process.env.GCX_STDOUT ? require('fs').openSync(process.env.GCX_STDOUT, 'w') : 'ignore', 'pipe'],
});
let last = null, errOut = '';
child.stderr.on('data', (b) => { for (const l of b.toString().split('\n')) { if (l.startsWith('GCSTAT')) last = l.split(' ').slice(1).map(Number); else if (l.trim()) errOut += l + '\n'; } });
const url = `http://127.0.0.1:${port}`;
(async () => {
  for (let i = 0; i < 120; i++) { try { const r = await fetch(url + '/health'); if (r.ok) break; } catch {} await new Promise((r) => setTimeout(r, 500)); }
  const pg = new Client({ connectionString: DB }); await pg.connect();
  const base = await sc.loadFixtures(pg); await pg.end();
  const tokens = { admin: await sc.login(url, 'bench_admin'), staff: [await sc.login(url, 'ws01_staff')] };
  const today = bt.shanghaiDate(new Date());
  const { scenarios } = sc.scenarios({ ...base, tokens, period: { from: bt.addDays(today, -5 * 365), to: today } });
  const s = scenarios.find((x) => x.name === (process.env.GCX_SCEN || 'case'));
  await load.runPaced({ url, next: s.next, rate, durationSec: 3, maxConnections: 50 });
  const out = [];
  for (let round = 0; round < 3; round++) {
    await new Promise((r) => setTimeout(r, 300));
    const a = last.slice();
    const res = await load.runPaced({ url, next: s.next, rate, durationSec: secs, maxConnections: 50 });
    await new Promise((r) => setTimeout(r, 300));
    const b = last.slice();
    const d = b.map((v, i) => v - a[i]);
    // fields: count pause minor minorMs major majorMs allocMB promotedMB survMB newSize
    out.push(`${label} r${round + 1}: p50 ${res.p50} p99 ${res.p99} n ${res.total} non2xx ${res.non2xx} ${JSON.stringify(res.statusCodes||{})} | scav ${d[2]} mc ${d[4]} gcms ${d[1].toFixed(0)} alloc KB/req ${((d[6] * 1e3) / res.total).toFixed(1)} promoted KB/req ${((d[7] * 1e3) / res.total).toFixed(2)} directOld KB/req ${((d[10] * 1e3) / res.total).toFixed(2)} directLO+code KB/req ${((d[11] * 1e3) / res.total).toFixed(2)}`);
  }
  console.log(out.join('\n'));
  child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 500);
})().catch((e) => { console.error(e, errOut.slice(-2000)); child.kill('SIGKILL'); process.exit(1); });
