// Writes COPY statements (one file each, /tmp/csvp/<name>.sql) for profiling the CSV export's SQL:
// the floor, the app's statement of a build (BUILD=/path, default /tmp/base-csv), and variants of
// the app's statement with one column group replaced by its raw value.
const BUILD = process.env.BUILD || '/tmp/base-csv';
const OUT = process.env.OUT || '/tmp/csvp';
const { buildCaseFilter } = require(`${BUILD}/dist/src/cases/case-query.js`);
const { exportSelect } = require(`${BUILD}/dist/src/stats/case-export.repository.js`);
const svc = require(`${BUILD}/dist/src/stats/case-export.service.js`);
const csv = require(`${BUILD}/dist/src/stats/csv.js`);
const ADMIN = { id: '00000000-0000-0000-0000-000000000000', username: 'bench', role: 'admin', workstationId: null };
const { where } = buildCaseFilter(ADMIN, {}, 'c');
const fs = require('fs');
const write = (name, select, opts = 'WITH (FORMAT csv)') =>
  fs.writeFileSync(`${OUT}/${name}.sql`, `COPY (${select}) TO STDOUT ${opts}`.replace(/\n/g, ' ') + ';\n');

write('floor', exportSelect(where), 'WITH CSV');
write('app', svc.csvExportSelect(where));

// The base app's statement rebuilt from its parts, with replacements.
const base = require('/tmp/base-csv/dist/src/stats/case-export.service.js');
const cols = base.CSV_COLUMNS.map(([, cell]) => cell);
const src = fs.readFileSync('/tmp/base-csv/dist/src/stats/case-export.service.js', 'utf8');
function build(cells, { offset = true, values = null } = {}) {
  // CSV_VALUES is not exported: take the middle query's list from the built statement
  const full = base.csvExportSelect('WHERE_X');
  const mid = full.slice(full.indexOf('FROM (SELECT e.*, ') + 'FROM (SELECT e.*, '.length, full.indexOf(' FROM (SELECT c.id'));
  const middle = values ?? mid;
  return `SELECT ${cells.join(',\n  ')}
FROM (SELECT e.*, ${middle} FROM (${exportSelect(where)}) e ${offset ? 'OFFSET 0' : ''}) r`;
}
const repl = (pred, f) => cols.map((c, i) => (pred(c, i) ? f(c, i) : c));
const raw = (name) => `r.${name}`;
const names = ['case_number','workstation_name','source_label','court_case_number','dispute_type_label','status_label','applicant_name','applicant_id_masked','respondent_name','respondent_credit_code','worker_count','claim_amount','mediator_name','received_at','deadline_date','overdue','concluded_at','agreed_amount','confirmation_label','ruling_number','summary'];
// no verbatim regex: the three verbatim cells as csvText
write('noregex', build(repl((c) => c.includes(" ~ '^"), (c, i) => csv.sqlCsvText(raw(names[i])))));
// no formula guard: every sqlCsvText cell as its raw value
write('noguard', build(cols.map((c, i) => (c.startsWith('CASE WHEN ascii(') ? raw(names[i]) : c))));
// no guard, no regex
write('noguardregex', build(cols.map((c, i) => (c.startsWith('CASE WHEN ascii(') || c.includes(" ~ '^") ? raw(names[i]) : c))));
// labels as raw codes (middle values: the code itself)
const midRaw = `e.source AS source_label, e.dispute_type AS dispute_type_label, e.status AS status_label, ${require(`/tmp/base-csv/dist/src/accounts-core/scope.js`).maskIdNumberSql('e.applicant_id_number')} AS applicant_id_masked, e.confirmation_status AS confirmation_label`;
write('nolabels', build(cols, { values: midRaw }));
const midNoMask = base.csvExportSelect('W').match(/FROM \(SELECT e\.\*, ([\s\S]*) FROM \(SELECT c\.id/)[1].replace(/CASE WHEN length\(e\.applicant_id_number\)[^\n]*? END AS applicant_id_masked/, 'e.applicant_id_number AS applicant_id_masked');
write('nomask', build(cols, { values: midNoMask }));
write('nooffset', build(cols, { offset: false }));
// everything raw, same structure
write('allraw', build(names.map(raw), { values: midRaw.replace(/CASE WHEN length[\s\S]*END AS applicant_id_masked/, 'e.applicant_id_number AS applicant_id_masked') }));

// One query level: the cells over the joined columns, computed below the sort (in the parallel workers);
// labels with the guard folded into their constants; the mask referenced as an expression.
{
  const sel = exportSelect(where);
  const list = sel.slice('SELECT '.length, sel.indexOf('FROM cases c'));
  const expr = {};
  // split the select list on top-level commas
  let depth = 0, cur = '';
  const items = [];
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { items.push(cur.trim()); cur = ''; } else cur += ch;
  }
  items.push(cur.trim());
  for (const it of items) {
    const m = it.match(/^(.*) AS (\w+)$/s);
    if (m) expr[m[2]] = m[1]; else expr[it.replace(/^\w+\./, '')] = it;
  }
  const labels = require('/tmp/base-csv/dist/src/labels/labels.js');
  const { escapeLiteral } = require('pg');
  const lit = (cell) => (cell === '' ? 'NULL' : escapeLiteral(cell));
  const label = (e, L) => `CASE ${e} ${Object.entries(L).map(([k, v]) => `WHEN ${escapeLiteral(k)} THEN ${lit(csv.csvText(v))}`).join(' ')} ELSE ${csv.sqlCsvText(e)} END`;
  const mask = require('/tmp/base-csv/dist/src/accounts-core/scope.js').maskIdNumberSql('c.applicant_id_number');
  const values = {
    source_label: null, dispute_type_label: null, status_label: null, confirmation_label: null,
    applicant_id_masked: csv.sqlCsvText(`(${mask})`),
  };
  const L = { source_label: ['c.source', labels.CASE_SOURCE_LABELS], dispute_type_label: ['c.dispute_type', labels.DISPUTE_TYPE_LABELS], status_label: ['c.status', labels.CASE_STATUS_LABELS], confirmation_label: ['k.status', labels.CONFIRMATION_STATUS_LABELS] };
  const cells = cols.map((c, i) => {
    const n = names[i];
    if (L[n]) return label(...L[n]);
    if (n === 'applicant_id_masked') return values.applicant_id_masked;
    return c.replace(new RegExp(`r\\.${n}\\b`, 'g'), `(${expr[n]})`);
  });
  const flat = `SELECT ${cells.join(',\n  ')}\n${sel.slice(sel.indexOf('FROM cases c'))}`;
  write('flat', flat);
  write('flatnojit', flat); // run with PGOPTS
}
