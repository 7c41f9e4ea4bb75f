import { once } from 'node:events';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Role } from '../src/accounts-core/role.enum';
import { maskIdNumber } from '../src/accounts-core/scope';
import { CASE_SOURCE_LABELS, CASE_STATUS_LABELS, CONFIRMATION_STATUS_LABELS, DISPUTE_TYPE_LABELS } from '../src/labels/labels';
import { inlineParams } from '../src/stats/case-export.repository';
import { CaseExportService, CrlfRecords, ExportRow, WriteBatches } from '../src/stats/case-export.service';
import { CSV_BOM, csvLine, CSV_LINE_END, csvPlain, csvText, csvVerbatim } from '../src/stats/csv';
import { caseInState, createCase } from './utils/case-factory';
import { makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { getBinary } from './utils/binary';

jest.setTimeout(60_000);

/**
 * The CSV as Node wrote it before PostgreSQL did (the export's rows through src/stats/csv.ts, the
 * labels and maskIdNumber): the COPY export must be byte-identical to it.
 */
const NODE_COLUMNS: Array<[string, (r: ExportRow) => string]> = [
  ['案件编号', (r) => csvVerbatim(r.case_number)],
  ['工作室', (r) => csvText(r.workstation_name)],
  ['案件来源', (r) => csvText(CASE_SOURCE_LABELS[r.source] ?? r.source)],
  ['法院案号', (r) => csvVerbatim(r.court_case_number)],
  ['纠纷类型', (r) => csvText(DISPUTE_TYPE_LABELS[r.dispute_type] ?? r.dispute_type)],
  ['案件状态', (r) => csvText(CASE_STATUS_LABELS[r.status] ?? r.status)],
  ['申请人', (r) => csvText(r.applicant_name)],
  ['申请人身份证号', (r) => csvText(maskIdNumber(r.applicant_id_number))],
  ['被申请人', (r) => csvText(r.respondent_name)],
  ['统一社会信用代码', (r) => csvVerbatim(r.respondent_credit_code)],
  ['涉及人数', (r) => csvPlain(r.worker_count)],
  ['请求金额（元）', (r) => csvVerbatim(r.claim_amount)],
  ['调解员', (r) => csvText(r.mediator_name)],
  ['收案时间', (r) => csvPlain(r.received_at)],
  ['调解期限', (r) => csvPlain(r.deadline_date)],
  ['是否超期', (r) => csvPlain(r.overdue ? '是' : '否')],
  ['结案时间', (r) => csvPlain(r.concluded_at)],
  ['协议金额（元）', (r) => csvVerbatim(r.agreed_amount)],
  ['司法确认', (r) => csvText(r.confirmation_status ? (CONFIRMATION_STATUS_LABELS[r.confirmation_status] ?? r.confirmation_status) : null)],
  ['司法确认文书号', (r) => csvText(r.ruling_number)],
  ['案情摘要', (r) => csvText(r.summary)],
];

describe('GET /cases/export.csv written by PostgreSQL (e2e)', () => {
  let t: TestApp;
  let team: Awaited<ReturnType<typeof makeWorkstationTeam>>;
  let admin: TestUser;

  async function download(user: TestUser, query: Record<string, string> = {}): Promise<Buffer> {
    const res = await getBinary(t, user, '/cases/export.csv', query);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function nodeCsv(user: TestUser, query: Record<string, unknown> = {}): Promise<Buffer> {
    let text = CSV_BOM + csvLine(NODE_COLUMNS.map(([title]) => csvText(title)));
    for await (const rows of t.app.get(CaseExportService).rowBatches(user as never, query as never)) {
      for (const r of rows) text += NODE_COLUMNS.map(([, cell]) => cell(r)).join(',') + CSV_LINE_END;
    }
    return Buffer.from(text, 'utf8');
  }

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    team = await makeWorkstationTeam(t);
    admin = await makeUser(t, Role.Admin, null);
    const names = ['=1+1', '+1', '-1', '@SUM(A1)', '\t制表符开头', '\r回车开头', '张"三"', '李,四', '王\n五', '赵\r\n六', '"', ',', "'=已带撇号", '普通 名字'];
    const ids = ['420102199001011234', 'ABC1234', '', '11010519491231002X'];
    for (let i = 0; i < names.length; i++) {
      await createCase(t, team.staff, team.ws.id, {
        summary: `${names[(i + 3) % names.length]}，摘要 ${i}`,
        claimAmount: ['0.01', '12500.00', '1000000.50'][i % 3],
        applicant: { name: names[i], idNumber: ids[i % ids.length] || undefined, phone: '13800000000' },
        respondent: { name: names[(i + 1) % names.length], creditCode: i % 2 ? '914201001234567890' : '91420100MA4K0000XX' },
        disputeType: ['wage_arrears', 'dismissal', 'overtime', 'other'][i % 4],
        receivedAt: new Date(Date.now() - (i + 1) * 3600_000).toISOString(),
      });
    }
    // Raw values the API would refuse, straight in the database: empty and short identity numbers, number-like codes.
    await t.db.query(
      `UPDATE cases SET applicant_id_number = v.id, court_case_number = v.court, respondent_credit_code = v.credit
       FROM (SELECT id AS case_id, row_number() OVER (ORDER BY received_at) AS n FROM cases WHERE workstation_id = $1) o
       JOIN (VALUES (1, '', '2026-000001', '1,000'), (2, '1234567', '=1+1', '123 456'), (3, '12345678', '（2026）鄂0102民初1', NULL),
                    (4, '=234567890', '', '-1.5e3'), (5, NULL, '@x', '+')) AS v(n, id, court, credit) ON v.n = o.n
       WHERE cases.id = o.case_id`,
      [team.ws.id],
    );
    await caseInState(t, team, 'confirmed', { applicant: { name: '"已确认",的\n案件', idNumber: '420102199001011234', phone: '13800000000' } });
    await caseInState(t, team, 'failed');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is byte-identical to the CSV Node wrote: labels, masking, formula guard, verbatim cells, quotes, commas and line breaks, CRLF', async () => {
    for (const [user, query, filter] of [
      [admin, {}],
      [team.staff, {}],
      [team.mediator, {}],
      [admin, { status: 'failed,confirmed' }, { status: ['failed', 'confirmed'] }],
      [admin, { q: '张"三' }],
      [admin, { q: "'; DROP TABLE cases; --" }],
      [admin, { receivedFrom: new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 10) }],
    ] as Array<[TestUser, Record<string, string>, Record<string, unknown>?]>) {
      const expected = await nodeCsv(user, filter ?? query);
      const actual = await download(user, query);
      expect(actual.toString('utf8')).toBe(expected.toString('utf8'));
      expect(actual.equals(expected)).toBe(true);
    }
    const all = (await download(admin)).toString('utf8');
    expect(all).toContain("'=1+1");
    expect(all).toContain('"王\n五"');
    expect(all).toContain('"赵\r\n六"');
    expect(all).toContain(',123*5678,');
    expect(all).toContain(',*******,');
  });

  it('turns only the record ends into CRLF, across chunk boundaries', () => {
    const records = new CrlfRecords();
    const input = 'a,"b\nc""\n",d\n"e\n"\nf\n';
    // Writes of 4 bytes: every write boundary falls somewhere else in the records.
    const out = new WriteBatches(4);
    const writes: Buffer[] = [];
    for (let i = 0; i < input.length; i += 3) {
      records.convertInto(Buffer.from(input.slice(i, i + 3)), out);
      writes.push(...out.takeFull());
    }
    writes.push(...out.takeAll());
    expect(writes.slice(0, -1).every((w) => w.length === 4)).toBe(true);
    expect(Buffer.concat(writes).toString()).toBe('a,"b\nc""\n",d\r\n"e\n"\r\nf\r\n');
    expect(out.takeAll()).toEqual([]);
  });

  it('writes bind parameters as quoted literals', () => {
    expect(inlineParams('a = $1 AND b = ANY($2::varchar[]) AND c >= $3 AND d = $10', ["x'; --", ['p', "q'"], new Date('2026-01-02T03:04:05.000Z'), 1, 2, 3, 4, 5, 6, 'ten\\'])).toBe(
      `a = 'x''; --' AND b = ANY(ARRAY['p', 'q''']::varchar[]) AND c >= '2026-01-02T03:04:05.000Z' AND d =  E'ten\\\\'`,
    );
    expect(() => inlineParams('a = $1', [{}])).toThrow();
    expect(() => inlineParams('a = $2', ['x'])).toThrow();
  });
  it('cancels the COPY and frees its connection when the client goes away', async () => {
    // About 50 MB of CSV in few rows (each case's index upkeep is what makes an insert slow on a busy machine).
    await t.db.query(
      `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name, respondent_name, received_at, deadline_at)
       SELECT 'MANY-' || g, $1, 'walk_in', 'wage_arrears', 'registered', repeat('很长的摘要', 1200), 1, '申请人', '公司', now() - g * interval '1 second', now()
       FROM generate_series(1, 3000) g`,
      [team.ws.id],
    );
    const server = t.app.getHttpServer() as import('node:http').Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const req = httpGet({ host: '127.0.0.1', port, path: '/api/v1/cases/export.csv', headers: { authorization: `Bearer ${admin.token}` } });
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    expect(res.statusCode).toBe(200);
    await once(res, 'data');
    req.destroy();
    const copying = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND query LIKE 'COPY (%'`))[0].n as number;
    let n = await copying();
    for (let i = 0; i < 50 && n > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      n = await copying();
    }
    expect(n).toBe(0);
    // The connection went back to the pool usable: the next export is whole.
    const again = (await download(team.staff, { q: '张"三' })).toString('utf8');
    expect(again).toContain('张""三""');
  });
});
