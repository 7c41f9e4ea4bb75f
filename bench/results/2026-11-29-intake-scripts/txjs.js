// JS cost of the transaction wrapper alone (fake pool: statements answer at once): PgReads.transaction vs the floor's inTransaction. ROOT=...
require('/work/main/node_modules/reflect-metadata');
const { EventEmitter } = require('node:events');
const roots = (process.env.ROOTS || 'base=/work/wt-intake-base,new=/work/wt-intake').split(',').map((s) => s.split('='));
class FakeClient extends EventEmitter { query(sql, params) { return Promise.resolve({ rows: [{ id: 1 }] }); } release() {} }
const client = new FakeClient();
const pool = { connect: () => Promise.resolve(client) };
const ds = { driver: { master: pool } };
const work = async (tx) => { await tx.query('A', [1]); await tx.query('B', [2]); await tx.query('C', [3]); return 1; };
const variants = {};
for (const [label, root] of roots) { const { PgReads } = require(`${root}/dist/src/common/pg-reads.js`); const r = new PgReads(ds); variants[label] = () => r.transaction(work); }
variants.floor = async () => {
  const c = await pool.connect();
  try { await c.query('BEGIN'); const res = await work({ query: async (s, p) => (await c.query(s, p)).rows }); await c.query('COMMIT'); return res; }
  catch (e) { await c.query('ROLLBACK').catch(() => undefined); throw e; } finally { c.release(); }
};
(async () => {
  const N = 50000, labels = Object.keys(variants), res = Object.fromEntries(labels.map((k) => [k, []]));
  for (let r = 0; r < 11; r++) for (const name of r % 2 ? labels.slice().reverse() : labels) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await variants[name]();
    const c = process.cpuUsage(c0);
    if (r > 0) res[name].push(+((c.user + c.system) / N).toFixed(2));
  }
  const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const k of labels) console.log(k, 'median µs/transaction', med(res[k]));
})();
