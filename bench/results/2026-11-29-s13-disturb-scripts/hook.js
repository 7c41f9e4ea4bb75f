// Temporary instrumentation preloaded into the app (--require): GC events, per-second CPU/ELU, pg query signatures.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { PerformanceObserver, performance, constants } = require('node:perf_hooks');
const out = process.env.DISTURB_HOOK_OUT || `/tmp/disturb/hook-${process.pid}.jsonl`;
const fd = fs.openSync(out, 'a');
const w = (o) => fs.writeSync(fd, JSON.stringify(o) + '\n');
w({ t: Date.now(), kind: 'start', pid: process.pid, hrUs: Number(process.hrtime.bigint() / 1000n), argv: process.argv });
const KINDS = { [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incr', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
let gcAcc = {};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const k = KINDS[e.detail?.kind ?? e.kind] ?? String(e.detail?.kind);
    const a = (gcAcc[k] ??= { n: 0, ms: 0 });
    a.n++; a.ms += e.duration;
    if (k === 'major' || e.duration > 5) w({ t: Math.round(performance.timeOrigin + e.startTime), kind: 'gc', gc: k, ms: Math.round(e.duration * 100) / 100, flags: e.detail?.flags });
  }
}).observe({ entryTypes: ['gc'] });
let sigs = new Map();
let stats = { guessBatch: 0, guessBatchWithFigures: 0, statsBound: 0, queries: 0 };
try {
  const pgPath = require.resolve('pg', { paths: [process.env.DISTURB_ROOT || process.cwd()] });
  const pg = require(pgPath);
  const orig = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, values, cb) {
    const text = typeof config === 'string' ? config : config?.text ?? '';
    const params = Array.isArray(values) ? values : config?.values;
    stats.queries++;
    if (text.includes('stats_snapshot_months')) {
      if (text.includes('BEGIN ISOLATION')) { stats.guessBatch++; if ((text.match(/;/g) || []).length >= 3) stats.guessBatchWithFigures++; }
      else if (params && params.length) stats.statsBound++;
    }
    const sig = text.slice(0, 90).replace(/\s+/g, ' ').slice(0, 70);
    sigs.set(sig, (sigs.get(sig) ?? 0) + 1);
    return orig.apply(this, arguments);
  };
  w({ t: Date.now(), kind: 'pg-patched', pgPath });
} catch (e) { w({ t: Date.now(), kind: 'pg-patch-failed', err: String(e) }); }
let lastCpu = process.cpuUsage();
let lastElu = performance.eventLoopUtilization();
setInterval(() => {
  const cpu = process.cpuUsage(lastCpu); lastCpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization(lastElu); lastElu = performance.eventLoopUtilization();
  const m = process.memoryUsage();
  const st = fs.readFileSync('/proc/self/status', 'utf8'); const vcs = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(st)[1]); const ics = Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(st)[1]);
  const dv = vcs - (globalThis.__dv ?? vcs), di = ics - (globalThis.__di ?? ics); globalThis.__dv = vcs; globalThis.__di = ics;
  const ns = require('node:v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
  w({ t: Date.now(), kind: 'sec', cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10, elu: Math.round(elu.utilization * 1000) / 1000, heapMb: Math.round(m.heapUsed / 1e5) / 10, rssMb: Math.round(m.rss / 1e5) / 10, extMb: Math.round(m.external / 1e5) / 10, newMb: Math.round(ns.space_size / 1e5) / 10, vcs: dv, ics: di, newUsedMb: Math.round(ns.space_used_size / 1e5) / 10, gc: gcAcc, stats, sigs: Object.fromEntries(sigs) });
  gcAcc = {}; sigs = new Map(); stats = { guessBatch: 0, guessBatchWithFigures: 0, statsBound: 0, queries: 0 };
}, 1000).unref();
// Lever under test (DISTURB_IDLE_GC=1): a major GC once the process goes idle after a busy stretch.
if (process.env.DISTURB_IDLE_GC === '1' && typeof globalThis.gc === 'function') {
  let busy = false; let lastE = performance.eventLoopUtilization(); let idleGcs = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if ((e.detail?.kind ?? e.kind) === constants.NODE_PERFORMANCE_GC_MAJOR && !globalThis.__inIdleGc) busy = false; }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    const e = performance.eventLoopUtilization(lastE); lastE = performance.eventLoopUtilization();
    if (e.utilization > 0.15) busy = true;
    else if (busy && e.utilization < 0.03) {
      const t0 = performance.now(); globalThis.__inIdleGc = true; globalThis.gc(); globalThis.__inIdleGc = false;
      busy = false; idleGcs++;
      w({ t: Date.now(), kind: 'idle-gc', ms: Math.round((performance.now() - t0) * 100) / 100, n: idleGcs });
    }
  }, 500).unref();
  w({ t: Date.now(), kind: 'idle-gc-on' });
}
