const { Client } = require('/work/main/node_modules/pg');
const { randomUUID } = require('node:crypto');
(async () => {
  const c = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/mediation_bench_intake' }); await c.connect();
  const { rows: [k] } = await c.query(`SELECT id, created_by FROM cases WHERE created_by IS NOT NULL ORDER BY created_at DESC LIMIT 1`);
  const INSERT_EVENT = `INSERT INTO case_events (case_id, type, actor_id, at, before, after) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`;
  const src = require('fs').readFileSync('/work/wt-intake/dist/src/webhooks/webhook-outbox.js', 'utf8');
  const OUTBOX = eval('`' + /INSERT_EVENT_AND_OUTBOX = `([\s\S]*?)`;/.exec(src)[1].replace('${INSERT_EVENT}', INSERT_EVENT) + '`');
  const after = JSON.stringify({ caseNumber: 'WS01-2026-000001', status: 'registered' });
  await c.query('BEGIN');
  for (const [name, sql, p] of [['plain', INSERT_EVENT, [k.id, 'case_registered', k.created_by, new Date(), null, after]], ['outbox', OUTBOX, [k.id, 'case_registered', k.created_by, new Date(), null, after, randomUUID(), 'case.registered', new Date().toISOString(), '{"court_entrusted","court_assigned"}']]]) {
    for (let i = 0; i < 3; i++) {
      const { rows } = await c.query('EXPLAIN (ANALYZE, SUMMARY) ' + sql, p);
      console.log(name, rows.filter((r) => /Planning|Execution/.test(r['QUERY PLAN'])).map((r) => r['QUERY PLAN']).join(' | '));
    }
  }
  await c.query('ROLLBACK'); await c.end();
})();
