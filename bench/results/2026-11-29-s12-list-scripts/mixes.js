// EXPLAIN medians of the list scenario's 7 mixes, exact app SQL (listQueries of a build).
// usage: node mixes.js <build root> <db> [reps] [--plans] [--mediator id] [--cn casenumber]
const path = require('path');
const root = path.resolve(process.argv[2] || '/work/wt-list');
const db = process.argv[3] || 'mediation_bench';
const reps = Number(process.argv[4] || 9);
const showPlans = process.argv.includes('--plans');
const argOf = (k) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : undefined; };
const { Client } = require(root + '/node_modules/pg');
const { listQueries, readGramShares } = require(root + '/dist/bench/lib/app-sql.js');
const { addDays, shanghaiDate } = require(root + '/dist/src/common/business-time.js');
(async () => {
  const pg = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${db}`, application_name: 'list-mixes' });
  await pg.connect();
  const ws = (await pg.query(`SELECT id, code FROM workstations ORDER BY code`)).rows;
  const u = async (name) => { const r = (await pg.query(`SELECT id, username, role, workstation_id FROM users WHERE username=$1`, [name])).rows[0]; return { id: r.id, username: r.username, role: r.role, workstationId: r.workstation_id }; };
  const admin = await u('bench_admin');
  const s0 = await u(`${ws[0].code.toLowerCase()}_staff`), s1 = await u(`${ws[1].code.toLowerCase()}_staff`);
  const mediatorId = argOf('--mediator') || (await pg.query(`SELECT mediator_id FROM cases WHERE workstation_id = $1 AND mediator_id IS NOT NULL LIMIT 1`, [ws[0].id])).rows[0].mediator_id;
  const cn = argOf('--cn') || 'WS06-2022-000671';
  const to = shanghaiDate(new Date()); const recentFrom = addDays(to, -90);
  const mixes = [
    ['1 staff0 status=assigned,in_mediation', s0, `status=assigned,in_mediation`],
    ['2 staff0 overdue=true', s0, `overdue=true`],
    ['3 staff1 plain', s1, ``],
    ['4 admin ws1+confirmed p5', admin, `workstationId=${ws[1].id}&status=confirmed&page=5`],
    ['5 admin type+90d', admin, `disputeType=wage_arrears&receivedFrom=${recentFrom}&receivedTo=${to}`],
    ['6 admin mediator p2', admin, `mediatorId=${mediatorId}&page=2`],
    ['7 admin q=casenumber', admin, `q=${encodeURIComponent(cn)}`],
  ];
  const shares = await readGramShares(async (sql, params) => (await pg.query(sql, params)).rows);
  const qs = mixes.map(([name, user, qs]) => ({ name, q: listQueries(user, new URLSearchParams(qs), shares) }));
  const times = qs.map(() => ({ all: [], page: [], count: [], wall: [] }));
  const exec = async (sql, params) => { const r = await pg.query(`EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) ${sql}`, params); return Number(/Execution Time: ([0-9.]+)/.exec(r.rows.map((x) => x['QUERY PLAN']).join('\n'))[1]); };
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < qs.length; i++) {
      const q = qs[i].q;
      times[i].all.push(await exec(q.pageAndTotal.sql, q.pageAndTotal.params));
      times[i].page.push(await exec(q.page.sql, q.page.params));
      times[i].count.push(await exec(q.count.sql, q.count.params));
      const t0 = process.hrtime.bigint(); await pg.query(q.pageAndTotal.sql, q.pageAndTotal.params); times[i].wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  const med = (x) => { const s = x.slice().sort((a, b) => a - b); return s[s.length >> 1]; };
  console.log(`db ${db} build ${root} reps ${reps} mediator ${mediatorId}`);
  console.log('| mix | as sent (exec ms) | page | total | as sent wall ms (client) | total |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (let i = 0; i < qs.length; i++) {
    const tot = (await pg.query(qs[i].q.count.sql, qs[i].q.count.params)).rows[0].total;
    console.log(`| ${qs[i].name} | ${med(times[i].all).toFixed(2)} | ${med(times[i].page).toFixed(2)} | ${med(times[i].count).toFixed(2)} | ${med(times[i].wall).toFixed(2)} | ${tot} |`);
  }
  if (showPlans) for (const { name, q } of qs) {
    const r = await pg.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.pageAndTotal.sql}`, q.pageAndTotal.params);
    console.log(`\n### ${name}\n${q.count.sql}\n` + r.rows.map((x) => x['QUERY PLAN']).join('\n'));
  }
  await pg.end();
})().catch((e) => { console.error(e); process.exit(1); });
