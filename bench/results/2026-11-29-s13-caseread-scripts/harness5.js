// CPU of CasesService.get's view building + JSON.stringify of its answer, the case read fixed (no DB in the timed part)
const roots = { base: '/work/wt-caseread-base', new: '/work/wt-caseread' };
const { Pool } = require('/work/wt-caseread/node_modules/pg');
(async () => {
  const pool = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/caseread_db', max: 2 });
  const ds = { driver: { master: pool } };
  const admin = { id: '00000000-0000-0000-0000-000000000001', username: 'a', role: 'admin', workstationId: null };
  const ids = (await pool.query('select id from cases order by random() limit 200')).rows.map((r) => r.id);
  const svcs = {};
  for (const [k, root] of Object.entries(roots)) {
    const { PgReads } = require(root + '/dist/src/common/pg-reads.js');
    const { CasesRepository } = require(root + '/dist/src/case-core/cases.repository.js');
    const { CasesService } = require(root + '/dist/src/cases/cases.service.js');
    const repo = new CasesRepository(ds, new PgReads(ds));
    const reads = []; for (const id of ids) reads.push(await repo.findForView(id));
    let i = 0;
    svcs[k] = new CasesService({ findForView: async () => reads[i++ % reads.length] }, null, { now: () => new Date() }, null, null);
  }
  await pool.end();
  const N = 100000;
  const round = async (k) => { const s = svcs[k]; const t = process.cpuUsage(); let n = 0; for (let j = 0; j < N; j++) n += JSON.stringify(await s.get(admin, 'x')).length; const d = process.cpuUsage(t); return (d.user + d.system) / N; };
  for (const k of ['base', 'new']) await round(k);
  const out = { base: [], new: [] };
  for (let r = 0; r < 5; r++) for (const k of r % 2 ? ['new', 'base'] : ['base', 'new']) out[k].push((await round(k)).toFixed(2));
  console.log('µs CPU per get+stringify', JSON.stringify(out));
})();
