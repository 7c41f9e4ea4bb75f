const { Client } = require('/work/main/node_modules/pg');
(async () => {
  const pg = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/list_intake_db' });
  await pg.connect();
  const ins = `INSERT INTO cases (case_number, status, workstation_id, source, court_case_number, simple_procedure, dispute_type, summary, claim_amount, worker_count, applicant_name, applicant_id_number, applicant_phone, respondent_name, respondent_credit_code, respondent_phone, mediator_id, received_at, deadline_at, extension_days, overdue, concluded_at, outcome_reason, created_by, version, created_at, updated_at, applicant_kind, applicant_credit_code, applicant_address, applicant_agent, respondent_id_number, respondent_address, respondent_agent, representatives, hand_off, court_outcome, court_document_number, court_outcome_date, voided_at, void_reason, confirmation_waived_at, anonymised_at) SELECT c.case_number || '-T' || row_number() over (), 'registered', c.workstation_id, c.source, c.court_case_number, c.simple_procedure, c.dispute_type, c.summary, c.claim_amount, c.worker_count, c.applicant_name, c.applicant_id_number, c.applicant_phone, c.respondent_name, c.respondent_credit_code, c.respondent_phone, c.mediator_id, c.received_at, c.deadline_at, c.extension_days, c.overdue, c.concluded_at, c.outcome_reason, c.created_by, c.version, c.created_at, c.updated_at, c.applicant_kind, c.applicant_credit_code, c.applicant_address, c.applicant_agent, c.respondent_id_number, c.respondent_address, c.respondent_agent, c.representatives, c.hand_off, c.court_outcome, c.court_document_number, c.court_outcome_date, c.voided_at, c.void_reason, c.confirmation_waived_at, c.anonymised_at FROM (SELECT * FROM cases ORDER BY received_at DESC LIMIT 2000) c`;
  const t = { without: [], with: [] };
  for (let r = 0; r < 9; r++) for (const v of ['without', 'with']) {
    await pg.query('BEGIN');
    if (v === 'without') { await pg.query('DROP INDEX cases_type_received_idx'); await pg.query('DROP INDEX cases_open_workstation_received_idx'); }
    const t0 = process.hrtime.bigint(); await pg.query(ins); t[v].push(Number(process.hrtime.bigint() - t0) / 1e6 / 2000 * 1000);
    await pg.query('ROLLBACK');
  }
  const med = (x) => x.slice().sort((a, b) => a - b)[x.length >> 1];
  console.log('µs per inserted case (2000 a statement, 9 alternating rounds): without', med(t.without).toFixed(1), 'with', med(t.with).toFixed(1), 'all', JSON.stringify(t));
  await pg.end();
})().catch((e) => { console.error(e); process.exit(1); });
