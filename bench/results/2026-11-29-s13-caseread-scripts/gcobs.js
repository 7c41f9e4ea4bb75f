const v8 = require('v8');
let lastOld = -1, direct = 0, lastLo = -1, directLo = 0;
let count = 0, pause = 0, minor = 0, minorMs = 0, major = 0, majorMs = 0, alloc = 0, promoted = 0, surv = 0, lastNew = 0, newSize = 0;
const sp = (s, name) => s.heapSpaceStatistics.find((x) => x.spaceName === name);
let prof = new v8.GCProfiler();
prof.start();
setInterval(() => {
  const r = prof.stop();
  prof = new v8.GCProfiler();
  prof.start();
  for (const e of (r && r.statistics) || []) {
    count++; pause += e.cost / 1000;
    const bn = sp(e.beforeGC, 'new_space').spaceUsedSize, an = sp(e.afterGC, 'new_space').spaceUsedSize;
    newSize = sp(e.beforeGC, 'new_space').spaceSize;
    alloc += Math.max(0, bn - lastNew); lastNew = an;
    const bo = sp(e.beforeGC, 'old_space').spaceUsedSize, ao = sp(e.afterGC, 'old_space').spaceUsedSize; if (lastOld >= 0) direct += Math.max(0, bo - lastOld); lastOld = ao;
    const bl = sp(e.beforeGC, 'large_object_space').spaceUsedSize + sp(e.beforeGC, 'code_space').spaceUsedSize, al = sp(e.afterGC, 'large_object_space').spaceUsedSize + sp(e.afterGC, 'code_space').spaceUsedSize; if (lastLo >= 0) directLo += Math.max(0, bl - lastLo); lastLo = al;
    if (e.gcType === 'Scavenge') { minor++; minorMs += e.cost / 1000; surv += an; promoted += sp(e.afterGC, 'old_space').spaceUsedSize - sp(e.beforeGC, 'old_space').spaceUsedSize; }
    else if (e.gcType === 'MarkSweepCompact') { major++; majorMs += e.cost / 1000; }
  }
  process.stderr.write(`GCSTAT ${count} ${pause.toFixed(1)} ${minor} ${minorMs.toFixed(1)} ${major} ${majorMs.toFixed(1)} ${(alloc / 1e6).toFixed(2)} ${(promoted / 1e6).toFixed(2)} ${(surv / 1e6).toFixed(2)} ${(newSize / 1e6).toFixed(1)} ${(direct / 1e6).toFixed(2)} ${(directLo / 1e6).toFixed(2)}\n`);
}, 250).unref();
