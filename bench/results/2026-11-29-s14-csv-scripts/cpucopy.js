// CPU seconds of the PostgreSQL backend for each COPY statement (/tmp/csvp/<name>.sql), read from
// /proc/<backend pid>/stat around the statement, with parallel workers off (so that the backend does
// all of the work) unless PARALLEL=1; alternating names over ROUNDS rounds; medians.
// usage: node cpucopy.js ROUNDS name1 name2 ...   (SET statements: SETTINGS="SET jit = off")
const { Client } = require('/work/main/node_modules/pg');
const fs = require('fs');
const [rounds, ...names] = process.argv.slice(2);
const DB = process.env.DB || 'postgres://postgres@127.0.0.1:5432/mediation_bench';
const tick = 100; // USER_HZ
const cpu = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / tick;
};
class Counter {
  constructor(sql) { this.sql = sql; this.bytes = 0; this.done = new Promise((res, rej) => { this.res = res; this.rej = rej; }); }
  submit(c) { c.query(this.sql); }
  handleCopyData(m) { this.bytes += m.chunk.length; }
  handleCommandComplete() {} handleError(e) { this.err = e; } handleReadyForQuery() { this.err ? this.rej(this.err) : this.res(); }
  handleEmptyQuery() {} handleRowDescription() {} handleDataRow() {} handleCopyInResponse() {}
}
(async () => {
  const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log('load before', load());
  const res = {};
  for (let r = 0; r < Number(rounds); r++) {
    const order = r % 2 ? [...names].reverse() : names;
    for (const n of order) {
      const db = new Client({ connectionString: DB });
      await db.connect();
      const pid = (await db.query('SELECT pg_backend_pid() AS p')).rows[0].p;
      if (!process.env.PARALLEL) await db.query('SET max_parallel_workers_per_gather = 0');
      if (process.env.SETTINGS) await db.query(process.env.SETTINGS);
      const c0 = cpu(pid), t0 = process.hrtime.bigint();
      const copy = new Counter(fs.readFileSync(`/tmp/csvp/${n}.sql`, 'utf8'));
      db.query(copy);
      await copy.done;
      const wall = Number(process.hrtime.bigint() - t0) / 1e9, c = cpu(pid) - c0;
      await db.end();
      (res[n] ??= []).push([c, wall]);
      console.log(`${r + 1} ${n.padEnd(14)} cpu ${c.toFixed(2)} s  wall ${wall.toFixed(2)} s  ${(copy.bytes / 1e6).toFixed(1)} MB`);
    }
  }
  console.log('load after', load());
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  for (const n of names) console.log(`median ${n.padEnd(14)} cpu ${med(res[n].map((x) => x[0])).toFixed(2)} s  wall ${med(res[n].map((x) => x[1])).toFixed(2)} s`);
})();
