// Per-thread CPU of a process every second (from /proc/<pid>/task/*/stat), grouped by thread name: JSONL.
'use strict';
const fs = require('node:fs');
const [pid, out] = [Number(process.argv[2]), process.argv[3]];
const fd = fs.openSync(out, 'a');
let last = new Map();
const read = () => {
  const m = new Map();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const s = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      m.set(tid, { name: tid === String(pid) ? 'MAIN' : name, ticks: Number(f[11]) + Number(f[12]) });
    } catch {}
  }
  return m;
};
const timer = setInterval(() => {
  let now;
  try { now = read(); } catch { clearInterval(timer); return; }
  const by = {};
  for (const [tid, v] of now) { const d = v.ticks - (last.get(tid)?.ticks ?? v.ticks); if (d) by[v.name] = (by[v.name] ?? 0) + d * 10; }
  last = now;
  fs.writeSync(fd, JSON.stringify({ t: Date.now(), ms: by }) + '\n');
}, 1000);
last = read();
