// A/B two indexes on list_db: each round, for each variant, BEGIN; DROP the other index(es); EXPLAIN ANALYZE the statements k times; ROLLBACK.
const { Client } = require('/work/main/node_modules/pg');
const path = require('path');
const root = '/work/wt-list';
const { listQueries } = require(root + '/dist/bench/lib/app-sql.js');
const { addDays, shanghaiDate } = require(root + '/dist/src/common/business-time.js');
const variants = JSON.parse(process.argv[2]); // {"name": ["index to drop", ...]}
const rounds = Number(process.argv[3] || 8);
(async () => {
  const pg = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/list_db' });
  await pg.connect();
  const admin = (await pg.query(`SELECT id, username, role, workstation_id FROM users WHERE username='bench_admin'`)).rows[0];
  const user = { id: admin.id, username: admin.username, role: admin.role, workstationId: null };
  const to = shanghaiDate(new Date());
  const stmts = {
    'type+90d as sent': listQueries(user, new URLSearchParams(`disputeType=wage_arrears&receivedFrom=${addDays(to, -90)}&receivedTo=${to}`)).pageAndTotal,
    'type+1y as sent': listQueries(user, new URLSearchParams(`disputeType=overtime&receivedFrom=${addDays(to, -365)}&receivedTo=${to}`)).pageAndTotal,
    'type=other page 400 (page only)': listQueries(user, new URLSearchParams(`disputeType=other&page=400`)).page,
  };
  const t = {};
  const exec = async (s) => Number(/Execution Time: ([0-9.]+)/.exec((await pg.query(`EXPLAIN (ANALYZE, TIMING OFF) ${s.sql}`, s.params)).rows.map((x) => x['QUERY PLAN']).join('\n'))[1]);
  for (let r = 0; r < rounds; r++) for (const [v, drops] of Object.entries(variants)) {
    await pg.query('BEGIN');
    for (const d of drops) await pg.query(`DROP INDEX ${d}`);
    for (const [name, s] of Object.entries(stmts)) { await exec(s); for (let k = 0; k < 3; k++) (t[`${name} | ${v}`] ??= []).push(await exec(s)); }
    await pg.query('ROLLBACK');
  }
  const med = (x) => { const s = x.slice().sort((a, b) => a - b); return s[s.length >> 1]; };
  for (const [k, v] of Object.entries(t)) console.log(`${k}: median ${med(v).toFixed(2)} ms (n=${v.length})`);
  await pg.end();
})().catch((e) => { console.error(e); process.exit(1); });
