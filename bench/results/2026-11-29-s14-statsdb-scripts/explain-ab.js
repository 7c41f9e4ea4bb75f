// Alternates EXPLAIN (ANALYZE, SUMMARY, TIMING OFF) of several SQL files in one session (jit off)
// and prints the median planning and execution time of each, and their results' equality.
// usage: DATABASE_URL=... node explain-ab.js [--rounds 40] a.sql b.sql ...
const { Client } = require('/work/main/node_modules/pg');
const fs = require('fs');
const args = process.argv.slice(2);
let rounds = 40;
if (args[0] === '--rounds') { rounds = Number(args[1]); args.splice(0, 2); }
(async () => {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  await c.query('SET jit = off');
  const sqls = args.map((f) => fs.readFileSync(f, 'utf8').trim().replace(/;$/, ''));
  const results = [];
  for (const s of sqls) results.push(JSON.stringify((await c.query(s)).rows));
  const t = sqls.map(() => ({ plan: [], exec: [], total: [] }));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < sqls.length; i++) {
      const j = r % 2 ? sqls.length - 1 - i : i;
      const p = (await c.query(`EXPLAIN (ANALYZE, SUMMARY, TIMING OFF, FORMAT JSON) ${sqls[j]}`)).rows[0]['QUERY PLAN'][0];
      t[j].plan.push(p['Planning Time']); t[j].exec.push(p['Execution Time']); t[j].total.push(p['Planning Time'] + p['Execution Time']);
    }
  }
  const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1].toFixed(3);
  args.forEach((f, i) => console.log(`${f.padEnd(28)} plan ${med(t[i].plan)}  exec ${med(t[i].exec)}  total ${med(t[i].total)} ms  same result as first: ${results[i] === results[0]}`));
  await c.end();
})().catch((e) => { console.error(e); process.exit(1); });
