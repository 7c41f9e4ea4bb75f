// Wall time of figures()' one round trip as the app sends it (BEGIN; SET LOCAL jit; coverage;
// figures) against the same with the coverage and figures as per-connection prepared statements
// (EXECUTE), one connection, alternating, COMMIT after each. usage: DATABASE_URL=... node batch-wall.js figures.sql coverage.sql [n]
const { Client } = require('/work/main/node_modules/pg');
const fs = require('fs');
const [figFile, covFile, nArg] = process.argv.slice(2);
const n = Number(nArg ?? 300);
const fig = fs.readFileSync(figFile, 'utf8').trim().replace(/;$/, '');
const cov = fs.readFileSync(covFile, 'utf8').trim().replace(/;$/, '');
const begin = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\nSET LOCAL jit = off;\n';
(async () => {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  await c.query(`PREPARE cov AS ${cov}`);
  await c.query(`PREPARE fig AS ${fig}`);
  const variants = { literal: `${begin}${cov};\n${fig}`, prepared: `${begin}EXECUTE cov;\nEXECUTE fig` };
  const t = { literal: [], prepared: [] };
  const out = {};
  for (let i = 0; i < n; i++) {
    for (const k of i % 2 ? ['literal', 'prepared'] : ['prepared', 'literal']) {
      const t0 = process.hrtime.bigint();
      const r = await c.query(variants[k]);
      t[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
      await c.query('COMMIT');
      out[k] = JSON.stringify(r.map((x) => x.rows));
    }
  }
  const q = (a, p) => a.slice().sort((x, y) => x - y)[Math.floor(a.length * p)].toFixed(3);
  for (const k of Object.keys(t)) console.log(`${k.padEnd(9)} p50 ${q(t[k], 0.5)} p25 ${q(t[k], 0.25)} p75 ${q(t[k], 0.75)} ms`);
  console.log('same rows:', out.literal === out.prepared);
  await c.end();
})().catch((e) => { console.error(e); process.exit(1); });
