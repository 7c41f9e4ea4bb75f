// Repository-level wall time: each build's StatsRepository.answerParts (as the floor runs it:
// bench/lib/app-sql.ts over a pg pool of its own, pool 10), one request at a time, the builds
// alternating request by request, the bench's summary and timeseries requests in rotation.
// usage: DATABASE_URL=... node repo-wall.js base=/tmp/base-statsdb new=/work/wt-statsdb [--requests 300]
const argv = process.argv.slice(2);
const requests = argv.includes('--requests') ? Number(argv[argv.indexOf('--requests') + 1]) : 300;
const builds = argv.filter((a) => a.includes('=')).map((a) => a.split('='));
const { Pool } = require('/work/main/node_modules/pg');
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

function repoOf(root) {
  const { statsRepositoryOver } = require(`${root}/dist/bench/lib/app-sql.js`);
  let kept;
  try { kept = require(`${root}/dist/src/common/kept-statements.js`); } catch { kept = null; }
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const rowsOf = (r) => (Array.isArray(r) ? r[r.length - 1].rows : r.rows);
  const query = async (sql, params) => rowsOf(await pool.query(sql, params));
  const runner = () => {
    let client;
    return {
      query: async (sql, params) => rowsOf(await (await (client ??= pool.connect())).query(sql, params)),
      batch: async (statements) => {
        const c = await (client ??= pool.connect());
        if (kept) return kept.rowsOfBatch(c, statements);
        const r = await c.query(statements.join(';\n'));
        return (Array.isArray(r) ? r : [r]).map((x) => x.rows);
      },
      release: async () => { if (client) (await client).release(); },
    };
  };
  return { repo: statsRepositoryOver(query, runner), pool };
}

(async () => {
  const { shanghaiDate } = require(`${builds[0][1]}/dist/src/common/business-time.js`);
  const today = shanghaiDate(new Date());
  const period = { from: addDays(today, -5 * 365), to: today };
  const sides = builds.map(([label, root]) => ({ label, ...repoOf(root), t: { summary: [], timeseries: [] } }));
  const ws = (await sides[0].pool.query(`SELECT id FROM workstations ORDER BY code`)).rows.map((r) => r.id);
  const asks = [
    ['summary', { workstationId: null, mediatorId: null }, 'none'],
    ['summary', { workstationId: ws[0], mediatorId: null }, 'none'],
    ['summary', { workstationId: ws[3], mediatorId: null }, 'none'],
    ['timeseries', { workstationId: null, mediatorId: null }, 'month'],
    ['timeseries', { workstationId: ws[1], mediatorId: null }, 'month'],
  ];
  // Warm: every connection of each pool sees every statement (prepares its kept statements).
  for (const s of sides) for (let i = 0; i < 4; i++) await Promise.all(Array.from({ length: 10 }, (_, j) => s.repo.answerParts(period, asks[j % 5][1], asks[j % 5][2])));
  for (let i = 0; i < requests; i++) {
    const [kind, scope, grouping] = asks[i % asks.length];
    for (const s of i % 2 ? sides : [...sides].reverse()) {
      const t0 = process.hrtime.bigint();
      await s.repo.answerParts(period, scope, grouping);
      s.t[kind].push(Number(process.hrtime.bigint() - t0) / 1e6);
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  const q = (a, p) => a.slice().sort((x, y) => x - y)[Math.floor(a.length * p)].toFixed(2);
  for (const s of sides) for (const k of ['summary', 'timeseries']) console.log(`${s.label.padEnd(6)} ${k.padEnd(10)} p50 ${q(s.t[k], 0.5)}  p25 ${q(s.t[k], 0.25)}  p75 ${q(s.t[k], 0.75)}  p90 ${q(s.t[k], 0.9)} ms  (n ${s.t[k].length})`);
  for (const s of sides) await s.pool.end();
})().catch((e) => { console.error(e); process.exit(1); });
