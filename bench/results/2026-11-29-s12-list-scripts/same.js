// The as-sent statements' rows on mediation_bench (no new index) and list_db (with): same rows, same order?
const root = '/work/wt-list';
const { Client } = require(root + '/node_modules/pg');
const { listQueries } = require(root + '/dist/bench/lib/app-sql.js');
const { addDays, shanghaiDate } = require(root + '/dist/src/common/business-time.js');
const crypto = require('crypto');
(async () => {
  const out = {};
  for (const db of ['mediation_bench', 'list_db']) {
    const pg = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${db}` });
    await pg.connect();
    const ws = (await pg.query(`SELECT id, code FROM workstations ORDER BY code`)).rows;
    const u = async (name) => { const r = (await pg.query(`SELECT id, username, role, workstation_id FROM users WHERE username=$1`, [name])).rows[0]; return { id: r.id, username: r.username, role: r.role, workstationId: r.workstation_id }; };
    const admin = await u('bench_admin'); const staff = await Promise.all(ws.map((w) => u(`${w.code.toLowerCase()}_staff`)));
    const meds = (await pg.query(`SELECT DISTINCT mediator_id FROM cases WHERE mediator_id IS NOT NULL AND workstation_id = $1 LIMIT 3`, [ws[0].id])).rows.map((r) => r.mediator_id).sort();
    const to = shanghaiDate(new Date());
    const reqs = [];
    for (const s of staff) for (const q of ['status=assigned,in_mediation', 'status=assigned,in_mediation&page=3', 'status=registered', 'overdue=true', '', 'disputeType=wage_arrears&receivedFrom=' + addDays(to, -90) + '&receivedTo=' + to]) reqs.push([s, q]);
    for (const t of ['wage_arrears', 'other', 'overtime']) for (const d of [30, 90, 365]) reqs.push([admin, `disputeType=${t}&receivedFrom=${addDays(to, -d)}&receivedTo=${to}`], [admin, `disputeType=${t}&receivedFrom=${addDays(to, -d)}&receivedTo=${to}&page=7`]);
    for (const m of meds) reqs.push([admin, `mediatorId=${m}&page=2`]);
    for (const w of ws.slice(0, 5)) reqs.push([admin, `workstationId=${w.id}&status=confirmed&page=5`], [admin, `workstationId=${w.id}&status=assigned,in_mediation`], [admin, `workstationId=${w.id}&status=registered,assigned,in_mediation&page=2`]);
    reqs.push([admin, 'disputeType=other&page=50'], [admin, 'status=assigned,in_mediation']);
    const h = [];
    for (const [user, q] of reqs) { const s = listQueries(user, new URLSearchParams(q)).pageAndTotal; const r = await pg.query(s.sql, s.params); h.push(crypto.createHash('md5').update(JSON.stringify(r.rows)).digest('hex') + ' ' + r.rows.length + ' ' + (r.rows[0]?.__total)); }
    out[db] = h; await pg.end();
  }
  let same = 0, differ = 0; out.mediation_bench.forEach((x, i) => (x === out.list_db[i] ? same++ : differ++));
  console.log(`${out.list_db.length} requests: ${same} same, ${differ} differ`);
})().catch((e) => { console.error(e); process.exit(1); });
