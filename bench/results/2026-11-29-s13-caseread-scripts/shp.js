// preload: sampling heap profile of objects that survive minor GCs, from SHP_START s for SHP_SECS s
const inspector = require('inspector');
const fs = require('fs');
const s = new inspector.Session(); s.connect();
const start = Number(process.env.SHP_START || 20) * 1000, secs = Number(process.env.SHP_SECS || 10);
setTimeout(() => {
  s.post('HeapProfiler.enable', () => s.post('HeapProfiler.startSampling', { samplingInterval: Number(process.env.SHP_INTERVAL || 8192), includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.SHP_MINOR === '1' }, (e) => {
    if (e) process.stderr.write('SHP start err ' + e.message + '\n');
    setTimeout(() => s.post('HeapProfiler.stopSampling', (e2, r) => {
      fs.writeFileSync(process.env.SHP_OUT || '/tmp/caseread-gcx/shp.json', JSON.stringify(r.profile));
      process.stderr.write('SHP written\n');
    }), secs * 1000).unref();
  }));
}, start).unref();
