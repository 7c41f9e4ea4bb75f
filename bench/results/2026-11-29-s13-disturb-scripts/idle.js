// Idle CPU of the app (WORKERS=all vs api), alternating, on disturb_db: CPU ms per second over a window after a settle time.
'use strict';
const { startProductionServer, cpuSeconds } = require('/work/wt-disturb/dist/bench/lib/processes.js');
const fs = require('node:fs');
const rounds = Number(process.argv[2] ?? 2), settle = Number(process.argv[3] ?? 15), windowSec = Number(process.argv[4] ?? 30);
const threads = (pid) => { const by = {}; for (const tid of fs.readdirSync(`/proc/${pid}/task`)) { try { const s = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'); const name = tid === String(pid) ? 'MAIN' : s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); by[name] = (by[name] ?? 0) + (Number(f[11]) + Number(f[12])) * 10; } catch {} } return by; };
(async () => {
  process.env.BENCH_PORTS = '41200-41399';
  for (let r = 0; r < rounds; r++) for (const workers of ['all', 'api']) {
    const app = await startProductionServer('app', '/work/wt-disturb', { NODE_ENV: 'production', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/disturb_db', REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: `disturb-idle-${process.pid}`, JWT_SECRET: 'disturb-idle-secret-0123456789-abcdef', LOG_LEVEL: 'warn', WORKERS: workers, LOGIN_RATE_LIMIT: '100000' }, (process.env.IDLE_FLAGS ?? '').split(/\s+/).filter(Boolean));
    await app.ready('/health/ready');
    await new Promise((r) => setTimeout(r, settle * 1000));
    const c0 = cpuSeconds(app.pid), t0 = threads(app.pid), w0 = Date.now();
    await new Promise((r) => setTimeout(r, windowSec * 1000));
    const c = cpuSeconds(app.pid) - c0, t1 = threads(app.pid), sec = (Date.now() - w0) / 1000;
    const per = Object.fromEntries(Object.entries(t1).map(([k, v]) => [k, Math.round((v - (t0[k] ?? 0)) / sec * 10) / 10]).filter(([, v]) => v > 0));
    console.log(JSON.stringify({ round: r, workers, cpuMsPerSec: Math.round((c * 1000) / sec * 10) / 10, threadsMsPerSec: per, load: fs.readFileSync('/proc/loadavg', 'utf8').trim() }));
    await app.stop();
  }
  process.exit(0);
})();
