// A/B of the CSV export over HTTP: starts two builds (start:prod's script, WORKERS=api) against
// DATABASE_URL, then per round times COPY (the bench's floor: exportSelect ... WITH CSV, through pg,
// counting bytes and lines) and GET /api/v1/cases/export.csv as admin from each build, the order
// rotated every round; first one download per build with the body's sha256 (untimed).
// usage: BENCH_PORTS=41000-41199 node ab-export.js ROUNDS base=/tmp/base-csv new=/work/wt-csv
const crypto = require('crypto');
const fs = require('fs');
const jwt = require('/work/main/node_modules/jsonwebtoken');
const { Client } = require('/work/main/node_modules/pg');
const [roundsArg, ...builds] = process.argv.slice(2);
const DB = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/mediation_bench';
const ROOT0 = builds[0].split('=')[1];
const { startProductionServer } = require(`${ROOT0}/dist/bench/lib/processes.js`);
const { buildCaseFilter } = require(`${ROOT0}/dist/src/cases/case-query.js`);
const { exportSelect } = require(`${ROOT0}/dist/src/stats/case-export.repository.js`);
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const secret = `ab-${Math.random().toString(36).slice(2)}-secret-0123456789`;
class Counter {
  constructor(sql) { this.sql = sql; this.bytes = 0; this.lines = 0; this.done = new Promise((res, rej) => { this.res = res; this.rej = rej; }); }
  submit(c) { c.query(this.sql); }
  handleCopyData(m) { this.bytes += m.chunk.length; for (let i = m.chunk.indexOf(10); i !== -1; i = m.chunk.indexOf(10, i + 1)) this.lines++; }
  handleCommandComplete() {} handleError(e) { this.err = e; } handleReadyForQuery() { this.err ? this.rej(this.err) : this.res(); }
  handleEmptyQuery() {} handleRowDescription() {} handleDataRow() {} handleCopyInResponse() {}
}
async function copyFloor() {
  const ADMIN = { id: '00000000-0000-0000-0000-000000000000', username: 'bench', role: 'admin', workstationId: null };
  const { where } = buildCaseFilter(ADMIN, {});
  const db = new Client({ connectionString: DB, application_name: 'csv-ab-copy' });
  await db.connect();
  const t0 = process.hrtime.bigint();
  const c = new Counter(`COPY (${exportSelect(where)}) TO STDOUT WITH CSV`);
  db.query(c);
  await c.done;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  await db.end();
  return { s, lines: c.lines, bytes: c.bytes };
}
async function download(url, token, hash) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const h = hash ? crypto.createHash('sha256') : null;
  let bytes = 0, lines = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    if (h) h.update(chunk);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, lines, bytes, sha: h && h.digest('hex') };
}
(async () => {
  const db = new Client({ connectionString: DB });
  await db.connect();
  const admin = (await db.query(`SELECT id, username, role, workstation_id, token_version FROM users WHERE username = 'bench_admin'`)).rows[0];
  await db.end();
  const token = jwt.sign({ sub: admin.id, username: admin.username, role: admin.role, ws: admin.workstation_id, tv: admin.token_version }, secret, { algorithm: 'HS256', expiresIn: 3600 });
  const servers = [];
  try {
    for (const b of builds) {
      const [label, root] = b.split('=');
      const env = { NODE_ENV: 'production', DATABASE_URL: DB, REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: `csv-ab-${label}-${process.pid}`, JWT_SECRET: secret, LOG_LEVEL: 'warn', WORKERS: 'api', LOGIN_RATE_LIMIT: '100000' };
      servers.push({ label, server: await startProductionServer(label, root, env) });
    }
    await Promise.all(servers.map((s) => s.server.ready('/health/ready')));
    console.log(`started ${servers.map((s) => `${s.label} pid ${s.server.pid} ${s.server.url}`).join(', ')}`);
    if (!process.env.NO_HASH)
      for (const { label, server } of servers) {
        const d = await download(`${server.url}/api/v1/cases/export.csv`, token, true);
        console.log(`hash ${label}: ${d.sha} ${d.bytes} bytes ${d.lines} lines in ${d.s.toFixed(2)} s`);
      }
    const res = { COPY: [] };
    for (const s of servers) res[s.label] = [];
    const jobs = [['COPY', () => copyFloor()], ...servers.map((s) => [s.label, () => download(`${s.server.url}/api/v1/cases/export.csv`, token, false)])];
    for (let r = 0; r < Number(roundsArg); r++) {
      const order = jobs.map((_, i) => jobs[(i + r) % jobs.length]);
      const line = [`round ${r + 1} (load ${load()})`];
      const got = {};
      for (const [label, f] of order) {
        const d = await f();
        res[label].push(d.s);
        got[label] = d;
        line.push(`${label} ${d.s.toFixed(2)} s`);
      }
      const rows = got.COPY.lines;
      for (const s of servers) if (got[s.label].lines - 1 !== rows) throw new Error(`${s.label}: ${got[s.label].lines - 1} rows, COPY ${rows}`);
      line.push(...servers.map((s) => `${s.label}/COPY-ratio ${(got.COPY.s / got[s.label].s).toFixed(2)}`));
      console.log(line.join('  '));
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    const mc = med(res.COPY);
    console.log(`medians: COPY ${mc.toFixed(2)} s, ${servers.map((s) => `${s.label} ${med(res[s.label]).toFixed(2)} s (ratio ${(mc / med(res[s.label])).toFixed(2)})`).join(', ')}; load ${load()}`);
  } finally {
    for (const s of servers) await s.server.stop?.().catch?.(() => undefined);
  }
})().catch((e) => { console.error(e); process.exit(1); });
