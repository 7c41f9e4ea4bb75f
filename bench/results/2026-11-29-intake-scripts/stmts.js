// Node CPU and wall per statement, one connection, serial, in transactions rolled back every 100: the floor's and the app's
// case insert, the floor's plain event insert and the app's event + outbox. Alternating rounds, medians.
require('/work/main/node_modules/reflect-metadata');
const { Client } = require('/work/main/node_modules/pg');
const { DataSource } = require('/work/main/node_modules/typeorm');
const { randomUUID } = require('node:crypto');
(async () => {
  const url = 'postgres://postgres@127.0.0.1:5432/mediation_bench_intake';
  const c = new Client({ connectionString: url });
  await c.connect();
  const { ENTITIES } = require('/work/wt-intake/dist/src/database/entities.js');
  const ds = new DataSource({ type: 'postgres', entities: ENTITIES });
  await ds.buildMetadatas();
  const { numberedCaseInsert } = require('/work/wt-intake/dist/src/case-core/case-select.js');
  const { sql: APP_CASE, params } = numberedCaseInsert(ds);
  const { rows: [k] } = await c.query(`SELECT id, workstation_id, created_by FROM cases WHERE created_by IS NOT NULL ORDER BY created_at DESC LIMIT 1`);
  const FLOOR_CASE = `WITH counter AS (
         INSERT INTO case_number_counters (workstation_id, year, last_value)
         SELECT id, $2, 1 FROM workstations WHERE id = $1
         ON CONFLICT (workstation_id, year) DO UPDATE SET last_value = case_number_counters.last_value + 1
         RETURNING last_value)
       INSERT INTO cases (case_number, id, workstation_id, source, court_case_number, simple_procedure, dispute_type, status, summary, claim_amount, worker_count,
                          applicant_name, applicant_id_number, applicant_phone, respondent_name, respondent_credit_code, respondent_phone, mediator_id,
                          received_at, deadline_at, extension_days, overdue, concluded_at, outcome_reason, created_by, version, created_at, updated_at)
       SELECT w.code || '-' || $2::text || '-' || lpad(counter.last_value::text, 6, '0'), $3, $1, $4, $5, false, $6, 'registered', $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL,
              $16, $17, 0, false, NULL, NULL, $18, 1, $19, $19
         FROM counter, workstations w WHERE w.id = $1
       RETURNING case_number`;
  const INSERT_EVENT = `INSERT INTO case_events (case_id, type, actor_id, at, before, after) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`;
  const src = require('fs').readFileSync('/work/wt-intake-base/dist/src/webhooks/webhook-outbox.js', 'utf8');
  const OUTBOX = eval('`' + /INSERT_EVENT_AND_OUTBOX = `([\s\S]*?)`;/.exec(src)[1].replace('${INSERT_EVENT}', INSERT_EVENT) + '`');
  const after = JSON.stringify({ caseNumber: 'WS01-2026-000001', status: 'registered', source: 'walk_in', disputeType: 'wage_arrears', claimAmount: '10000.50', deadlineAt: new Date(), deadlineDate: '2026-12-14', applicantKind: 'worker' });
  const entity = () => { const now = new Date(); return { id: randomUUID(), caseNumber: '', workstationId: k.workstation_id, source: 'walk_in', courtCaseNumber: null, simpleProcedure: false, disputeType: 'wage_arrears', status: 'registered', summary: '申请人主张被申请人拖欠3个月工资，要求支付工资及经济补偿', claimAmount: '10000.50', workerCount: 1, applicantName: '张三', applicantIdNumber: '440104199001011234', applicantPhone: '13800000000', respondentName: '广州市宏达电子科技有限公司', respondentCreditCode: '91440101MA5ABCDE0X', respondentPhone: '020-12345678', applicantKind: 'worker', applicantCreditCode: null, applicantAddress: null, applicantAgent: null, respondentIdNumber: null, respondentAddress: null, respondentAgent: null, representatives: null, handOff: null, courtOutcome: null, courtDocumentNumber: null, courtOutcomeDate: null, voidedAt: null, voidReason: null, confirmationWaivedAt: null, mediatorId: null, receivedAt: now, deadlineAt: new Date(now.getTime() + 15 * 86400e3), extensionDays: 0, overdue: false, concludedAt: null, outcomeReason: null, createdBy: k.created_by, version: 1, createdAt: now, updatedAt: now }; };
  const variants = {
    floorCase: () => { const e = entity(); return c.query(FLOOR_CASE, [e.workstationId, 2026, e.id, e.source, null, e.disputeType, e.summary, e.claimAmount, 1, e.applicantName, e.applicantIdNumber, e.applicantPhone, e.respondentName, e.respondentCreditCode, e.respondentPhone, e.receivedAt, e.deadlineAt, e.createdBy, e.createdAt]); },
    appCase: () => c.query(APP_CASE, params(entity(), 2026)),
    floorEvent: () => c.query(INSERT_EVENT, [k.id, 'case_registered', k.created_by, new Date(), null, after]),
    appEvent: () => { const at = new Date(); return c.query(OUTBOX, [k.id, 'case_registered', k.created_by, at, null, after, randomUUID(), 'case.registered', at.toISOString(), '{"court_entrusted","court_assigned"}']); },
    appEventNamed: () => { const at = new Date(); return c.query({ name: 'event-outbox', text: OUTBOX, values: [k.id, 'case_registered', k.created_by, at, null, after, randomUUID(), 'case.registered', at.toISOString(), '{"court_entrusted","court_assigned"}'] }); },
    appCaseNamed: () => c.query({ name: 'case-insert', text: APP_CASE, values: params(entity(), 2026) }),
  };
  if (process.env.ONLY) for (const k of Object.keys(variants)) if (!process.env.ONLY.split(',').includes(k)) delete variants[k];
  const labels = Object.keys(variants), cpu = Object.fromEntries(labels.map((l) => [l, []])), wall = Object.fromEntries(labels.map((l) => [l, []]));
  const N = 500;
  for (let r = 0; r < 9; r++) for (const name of r % 2 ? labels.slice().reverse() : labels) {
    const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
    for (let b = 0; b < N / 100; b++) { await c.query('BEGIN'); for (let i = 0; i < 100; i++) await variants[name](); await c.query('ROLLBACK'); }
    const cu = process.cpuUsage(c0);
    if (r > 0) { cpu[name].push(Math.round((cu.user + cu.system) / N)); wall[name].push(Math.round(Number(process.hrtime.bigint() - t0) / 1000 / N)); }
  }
  const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const l of labels) console.log(l, 'node CPU µs/stmt', med(cpu[l]), 'wall µs/stmt', med(wall[l]), JSON.stringify(cpu[l]));
  await c.end();
})();
