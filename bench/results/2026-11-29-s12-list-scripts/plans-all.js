// EXPLAIN of the bench's read statements (explainQueries) on a DB; prints request|statement|exec|indexes used
const root = '/work/wt-list';
const { Client } = require(root + '/node_modules/pg');
const { explainQueries } = require(root + '/dist/bench/lib/explain.js');
const { scenarios, loadFixtures } = require(root + '/dist/bench/lib/scenarios.js');
const { addDays, shanghaiDate } = require(root + '/dist/src/common/business-time.js');
const db = process.argv[2];
(async () => {
  const pg = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${db}` });
  await pg.connect();
  const tok = (u) => 'x.' + Buffer.from(JSON.stringify({ sub: u.id, username: u.username, role: u.role, ws: u.workstation_id })).toString('base64url') + '.y';
  const users = (await pg.query(`SELECT id, username, role, workstation_id FROM users WHERE username = 'bench_admin' OR username LIKE 'ws%_staff' ORDER BY username`)).rows;
  const base = await loadFixtures(pg);
  base.mediatorId = '08573350-5a92-465d-8c73-d8d64cc3a38f'; base.searchCaseNumber = 'WS06-2022-000671';
  const admin = users.find((u) => u.username === 'bench_admin');
  const staff = base.workstations.map((w) => tok(users.find((u) => u.username === `${w.code.toLowerCase()}_staff`)));
  const today = shanghaiDate(new Date());
  const { reads } = scenarios({ ...base, tokens: { admin: tok(admin), staff }, period: { from: addDays(today, -5 * 365), to: today } });
  const extra = ['q=张', 'q=张伟', 'q=物流', 'q=12', 'disputeType=other&page=50', 'status=assigned,in_mediation&workstationId=' + base.workstations[2].id].map((q) => ({ method: 'GET', path: '/api/v1/cases?' + q, headers: { authorization: 'Bearer ' + tok(admin) } }));
  const extraStaff = ['q=张', 'status=registered', 'disputeType=wage_arrears&receivedFrom=' + addDays(today, -30)].map((q) => ({ method: 'GET', path: '/api/v1/cases?' + q, headers: { authorization: 'Bearer ' + staff[0] } }));
  const plans = await explainQueries(pg, [...reads, ...extra, ...extraStaff]);
  for (const p of plans) console.log(`${p.request} | ${p.statement} | ${p.executionMs} | ${[...new Set(p.plan.match(/(?:using|on) (\w+)/g) || [])].join(' ')}`);
  await pg.end();
})().catch((e) => { console.error(e); process.exit(1); });
