// Captures the exact statements a build's StatsRepository sends for the bench's summary and
// timeseries requests (second request of a period: the guessed one-round-trip path), then times
// each figures statement with EXPLAIN (ANALYZE, BUFFERS, SUMMARY), repeated in one session.
// usage: DATABASE_URL=... node capture-and-explain.js <build dir> [repeats] [--print]
const { Pool } = require('/work/main/node_modules/pg');
const build = process.argv[2] ?? '/work/wt-statsdb';
const repeats = Number(process.argv[3] ?? 20);
const print = process.argv.includes('--print');
const { statsRepositoryOver } = require(`${build}/dist/bench/lib/app-sql.js`);
const { shanghaiDate } = require(`${build}/dist/src/common/business-time.js`);

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const sent = [];
const query = async (sql, params) => { sent.push({ sql, params }); return (await pool.query(sql, params)).rows; };
const runner = () => {
  let client;
  return {
    query: async (sql, params) => { sent.push({ sql, params }); const r = await (await (client ??= pool.connect())).query(sql, params); return Array.isArray(r) ? r[r.length - 1].rows : r.rows; },
    batch: async (kept) => { const statements = kept.map((s) => (typeof s === 'string' ? s : s.text)); sent.push({ batch: statements }); const r = await (await (client ??= pool.connect())).query(statements.join(';\n')); return (Array.isArray(r) ? r : [r]).map((x) => x.rows); },
    release: async () => { if (client) (await client).release(); },
  };
};
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

(async () => {
  const repo = statsRepositoryOver(query, runner);
  const today = shanghaiDate(new Date());
  const period = { from: addDays(today, -5 * 365), to: today };
  const ws = (await pool.query(`SELECT id FROM workstations ORDER BY code`)).rows.map((r) => r.id);
  const cases = [
    ['summary admin', { workstationId: null, mediatorId: null }, 'none'],
    ['summary ws0', { workstationId: ws[0], mediatorId: null }, 'none'],
    ['summary ws3', { workstationId: ws[3], mediatorId: null }, 'none'],
    ['series admin', { workstationId: null, mediatorId: null }, 'month'],
    ['series ws1', { workstationId: ws[1], mediatorId: null }, 'month'],
  ];
  const client = await pool.connect();
  await client.query('SET jit = off');
  for (const [name, scope, grouping] of cases) {
    await repo.answerParts(period, scope, grouping); // first: coverage, then bound figures
    sent.length = 0;
    await repo.answerParts(period, scope, grouping); // second: the guessed round trip
    await new Promise((r) => setTimeout(r, 50));
    const batch = sent.find((s) => s.batch).batch;
    const figures = batch[batch.length - 1];
    const coverage = batch[batch.length - 2];
    const others = sent.filter((s) => !s.batch && s.sql !== 'COMMIT');
    if (process.env.DUMP) require('fs').writeFileSync(`${process.env.DUMP}/${name.replace(' ', '-')}.sql`, figures + ';\n');
    if (print) { console.log(`---- ${name}\n${batch.join(';\n')}\n`); for (const o of others) console.log(o.sql, JSON.stringify(o.params)); }
    for (const [label, sql, params] of [['figures', figures, []], ['coverage', coverage, []], ...others.map((o, i) => [`other${i}`, o.sql, o.params])]) {
      const plan = [], exec = [];
      let last;
      for (let i = 0; i < repeats; i++) {
        const r = await client.query(`EXPLAIN (ANALYZE, BUFFERS, SUMMARY, FORMAT JSON) ${sql}`, params);
        last = r.rows[0]['QUERY PLAN'][0];
        plan.push(last['Planning Time']); exec.push(last['Execution Time']);
      }
      const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1].toFixed(3);
      console.log(`${name.padEnd(14)} ${label.padEnd(9)} plan ${med(plan)} ms  exec ${med(exec)} ms  (first plan ${plan[0].toFixed(2)})  len ${sql.length}`);
      if (process.env.SHOW_PLAN === label) console.log(JSON.stringify(last.Plan, (k, v) => (['Output', 'Parent Relationship', 'Parallel Aware', 'Async Capable'].includes(k) ? undefined : v), 1).slice(0, 20000));
    }
  }
  client.release();
  await pool.end();
})().catch((e) => { console.error(e); process.exit(1); });
