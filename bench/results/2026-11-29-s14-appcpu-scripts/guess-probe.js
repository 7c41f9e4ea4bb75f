// Whether StatsRepository builds the figures statement per request: counts figuresSql calls over six
// answerParts (timeseries and summary grouping) of one five-year period on mediation_bench (reads only).
// node bench/results/2026-11-29-s14-appcpu-scripts/guess-probe.js (from the worktree root, after a build)
require('reflect-metadata');
const { Pool } = require('pg');
const { statsRepositoryOver } = require('/work/wt-appcpu/dist/bench/lib/app-sql');
const { StatsRepository } = require('/work/wt-appcpu/dist/src/stats/stats.repository');
const calls = { figuresSql: 0 };
const orig = StatsRepository.prototype.figuresSql;
StatsRepository.prototype.figuresSql = function (...a) { calls.figuresSql++; return orig.apply(this, a); };
const origRem = StatsRepository.prototype.rememberCoverage;
StatsRepository.prototype.rememberCoverage = function (k, c) { calls.remember = (calls.remember || 0) + 1; calls.last = [k, c.months.length, c.days.length]; return origRem.call(this, k, c); };
(async () => {
  const pool = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/mediation_bench', max: 2 });
  const rowsOf = (r) => (Array.isArray(r) ? r.map((x) => x.rows) : r.rows);
  const stats = statsRepositoryOver(async (sql, p) => (await pool.query(sql, p)).rows, () => { const c = pool.connect(); return { query: async (s, p) => (await (await c).query(s, p)).rows, batch: async (st) => { const r = await (await c).query(st.join(';')); return Array.isArray(r) ? r.map((x) => x.rows) : [r.rows]; }, release: async () => (await c).release() }; });
  const period = { from: '2021-11-30', to: '2026-11-29' };
  for (let i = 0; i < 6; i++) { await stats.answerParts(period, { workstationId: null, mediatorId: null }, i % 2 ? 'none' : 'month'); console.log(i, JSON.stringify(calls)); }
  await pool.end();
})();
