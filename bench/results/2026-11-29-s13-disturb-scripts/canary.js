// A fixed piece of JavaScript work twice a second; logs its CPU µs (process.cpuUsage) and the machine's busy/steal share per second.
'use strict';
const fs = require('node:fs');
const fd = fs.openSync(process.argv[2], 'a');
const big = new Float64Array(1 << 19); // 4 MB
for (let i = 0; i < big.length; i++) big[i] = i % 97;
function work() {
  let acc = 0;
  const objs = [];
  for (let i = 0; i < 3000; i++) objs.push({ id: 'c' + i, n: i * 7 % 1013, s: 'x'.repeat(i % 20), d: [i, i + 1] });
  const txt = JSON.stringify(objs);
  acc += JSON.parse(txt).length;
  const arr = objs.map((o) => o.n).sort((a, b) => a - b);
  acc += arr[100];
  for (let k = 0; k < 2; k++) for (let i = 0; i < big.length; i += 8) acc += big[i];
  return acc;
}
const procStat = () => { const l = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number); const idle = l[3] + l[4]; const total = l.reduce((a, b) => a + b, 0); return { idle, total, steal: l[7] }; };
for (let i = 0; i < 50; i++) work(); // warm up
let ps = procStat();
let samples = [];
setInterval(() => {
  const c0 = process.cpuUsage(); const w0 = performance.now();
  work();
  const c = process.cpuUsage(c0); const wall = performance.now() - w0;
  samples.push({ cpu: c.user + c.system, wall: wall * 1000 });
}, 250);
setInterval(() => {
  const p = procStat();
  const dt = p.total - ps.total;
  const rec = { t: Date.now(), busy: Math.round((1 - (p.idle - ps.idle) / dt) * 100) / 100, steal: Math.round(((p.steal - ps.steal) / dt) * 1000) / 1000, cpuUs: samples.map((s) => Math.round(s.cpu)), wallUs: samples.map((s) => Math.round(s.wall)) };
  ps = p; samples = [];
  fs.writeSync(fd, JSON.stringify(rec) + '\n');
}, 1000);
