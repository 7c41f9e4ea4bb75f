// CPU per audit INSERT: TypeORM DataSource.query (QueryRunner) vs PgReads.rows (pool.query), alternating rounds, own DB.
const { DataSource } = require('/work/main/node_modules/typeorm');
const dist = '/work/wt-caseread/dist/src';
const { buildDataSourceOptions } = require(dist + '/database/data-source-options');
const { PgReads } = require(dist + '/common/pg-reads');
(async () => {
  const ds = new DataSource({ ...buildDataSourceOptions({ url: 'postgres://postgres@127.0.0.1:5432/caseread_db', poolSize: 4 }), migrations: [] });
  await ds.initialize();
  const reads = new PgReads(ds);
  const sql = `INSERT INTO audit_log (actor_id, actor_name, action, case_id, target_id, ip, details) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`;
  const [{ id: actor }] = await ds.query(`SELECT id FROM users LIMIT 1`);
  const [{ id: caseId }] = await ds.query(`SELECT id FROM cases LIMIT 1`);
  const params = () => [actor, 'bench', 'case.identity_viewed', caseId, null, '127.0.0.1', JSON.stringify({ method: 'GET', path: '/api/v1/cases/:id' })];
  const ways = { typeorm: () => ds.query(sql, params()), pool: () => reads.rows(sql, params()) };
  await ds.query(`SET synchronous_commit = off`).catch(() => {});
  const res = { typeorm: [], pool: [] };
  const N = 1500, C = 4;
  for (let r = 0; r < 9; r++) {
    for (const name of r % 2 ? ['pool', 'typeorm'] : ['typeorm', 'pool']) {
      const f = ways[name];
      const c0 = process.cpuUsage();
      let i = 0;
      await Promise.all(Array.from({ length: C }, async () => { while (i++ < N) await f(); }));
      const c = process.cpuUsage(c0);
      res[name].push((c.user + c.system) / N);
    }
  }
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  for (const k of Object.keys(res)) console.log(k, 'CPU µs/insert per round', res[k].map((x) => x.toFixed(0)).join(' '), 'median', med(res[k]).toFixed(0));
  console.log('ratio pool/typeorm per round', res.pool.map((x, i) => (x / res.typeorm[i]).toFixed(2)).join(' '));
  await ds.query(`DELETE FROM audit_log WHERE actor_name = 'bench'`);
  await ds.destroy();
})().catch((e) => { console.error(e); process.exit(1); });
