import { Role } from '../src/accounts-core/role.enum';
import { EXPORT_BATCH_SIZE } from '../src/stats/case-export.service';
import { createCase } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { getBinary } from './utils/binary';

jest.setTimeout(60_000);
type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;

const HEADERS = [
  '案件编号',
  '工作室',
  '案件来源',
  '法院案号',
  '纠纷类型',
  '案件状态',
  '申请人',
  '申请人身份证号',
  '被申请人',
  '统一社会信用代码',
  '涉及人数',
  '请求金额（元）',
  '调解员',
  '收案时间',
  '调解期限',
  '是否超期',
  '结案时间',
  '协议金额（元）',
  '司法确认',
  '司法确认文书号',
  '案情摘要',
];
const col = (name: string) => HEADERS.indexOf(name);

/** RFC 4180 parser (quoted fields with commas, quotes and line breaks), for checking the export. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('GET /cases/export.csv (e2e)', () => {
  let t: TestApp;
  let a: Team;
  let b: Team;
  let admin: TestUser;
  let cityStaff: TestUser;
  let tricky: { id: string; caseNumber: string };

  async function exportCsv(user: TestUser, query: Record<string, string> = {}) {
    const res = await getBinary(t, user, '/cases/export.csv', query);
    return { status: res.status, headers: res.headers, raw: res.body };
  }
  async function exportRows(user: TestUser, query: Record<string, string> = {}): Promise<string[][]> {
    const res = await exportCsv(user, query);
    if (res.status !== 200) throw new Error(`export: ${res.status} ${res.raw.toString()}`);
    const rows = parseCsv(res.raw.toString('utf8').replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(HEADERS);
    return rows.slice(1);
  }

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    [a, b] = await Promise.all([makeWorkstationTeam(t), makeWorkstationTeam(t)]);
    [admin, cityStaff] = await Promise.all([makeUser(t, Role.Admin, null), makeUser(t, Role.UnionStaff, null)]);
    tricky = await createCase(t, a.staff, a.ws.id, {
      summary: '拖欠工资，"三个月"\n另有加班费, 未付',
      claimAmount: '12345.67',
      applicant: { name: '=HYPERLINK("http://evil.example","点我")', idNumber: '420102199001011234', phone: '13800000000' },
      respondent: { name: '@某某公司', creditCode: '91420100MA4K0000XX' },
      disputeType: 'overtime',
      receivedAt: new Date(Date.now() - 3600_000).toISOString(),
    });
    await t.http.post(`/api/v1/cases/${tricky.id}/assign`).set(bearer(a.staff)).send({ mediatorId: a.mediator.id }).expect(200);
    await t.http
      .post(`/api/v1/cases/${tricky.id}/agreement`)
      .set(bearer(a.mediator))
      .send({ terms: '一次性支付', agreedAmount: '10000.01', signedAt: new Date(Date.now() - 60_000).toISOString(), installments: [] })
      .expect(201);
    await createCase(t, a.staff, a.ws.id, { summary: '-负数开头的摘要', applicant: { name: '+申请人乙' }, disputeType: 'dismissal' });
    await createCase(t, b.staff, b.ws.id, { summary: '乙工作室的案件' });

    // Many more for workstation A, straight in the database: more than two batches, with ties on
    // received_at and microsecond timestamps, so that the batch boundaries and the order are really exercised.
    await t.db.query(
      `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name, applicant_id_number,
                          respondent_name, received_at, deadline_at, mediator_id, overdue)
       SELECT 'BULK-' || lpad(g::text, 5, '0'), $1, 'walk_in', 'wage_arrears', CASE WHEN g % 3 = 0 THEN 'failed' ELSE 'assigned' END, '批量', (g * 10.5)::numeric(14,2),
              '批量申请人' || g, '11010519491231002X', '批量公司', $2::timestamptz - (g / 4) * interval '1.000123 seconds', now(),
              CASE WHEN g % 2 = 0 THEN $3::uuid END, g % 5 = 0
       FROM generate_series(1, $4::int) g`,
      [a.ws.id, new Date(Date.now() - 2 * 86400_000), a.mediator2.id, 2 * EXPORT_BATCH_SIZE + 234],
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('streams UTF-8 with a BOM and Chinese headers, as an attachment', async () => {
    const res = await exportCsv(a.staff);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{8}\.csv"/);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect([...res.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.raw.toString('utf8').slice(1, 6)).toBe('案件编号,');
  });

  it('escapes quotes, commas and line breaks, guards against formulas, masks identity numbers, keeps amounts exact', async () => {
    const rows = await exportRows(a.staff, { q: tricky.caseNumber });
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row[col('案件编号')]).toBe(tricky.caseNumber);
    expect(row[col('案情摘要')]).toBe('拖欠工资，"三个月"\n另有加班费, 未付');
    expect(row[col('申请人')]).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(row[col('被申请人')]).toBe("'@某某公司");
    expect(row[col('统一社会信用代码')]).toBe('91420100MA4K0000XX');
    expect(row[col('申请人身份证号')]).toBe('420***********1234');
    // Amounts keep their two decimals in Excel: a leading tab keeps them as text as written (csvVerbatim).
    expect(row[col('请求金额（元）')]).toBe('\t12345.67');
    expect(row[col('协议金额（元）')]).toBe('\t10000.01');
    expect(row[col('调解期限')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row[col('案件状态')]).toBe('达成调解协议'); // the statute's term, from the one labels module
    expect(row[col('纠纷类型')]).toBe('加班费');
    expect(row[col('调解员')]).toBe(a.mediator.displayName);
    expect(row[col('工作室')]).toBe(a.ws.name);
    expect(row[col('收案时间')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(row[col('是否超期')]).toBe('否');
    // The mediator assigned to the case sees the whole number in the case itself, never in an export.
    const mine = await exportRows(a.mediator, { q: tricky.caseNumber });
    expect(mine[0][col('申请人身份证号')]).toBe('420***********1234');
    const minus = await exportRows(a.staff, { q: '申请人乙' });
    expect(minus[0][col('案情摘要')]).toBe("'-负数开头的摘要");
    expect(minus[0][col('申请人')]).toBe("'+申请人乙");
  });

  it('exports every row of the scope exactly once, newest first, across batches', async () => {
    const rows = await exportRows(a.staff);
    const expected: Array<{ case_number: string }> = await t.db.query(`SELECT case_number FROM cases WHERE workstation_id = $1 ORDER BY received_at DESC, id DESC`, [a.ws.id]);
    expect(expected.length).toBeGreaterThan(2 * EXPORT_BATCH_SIZE);
    expect(rows.map((r) => r[col('案件编号')])).toEqual(expected.map((r) => r.case_number));
    const bulk = rows.find((r) => r[col('案件编号')] === 'BULK-00007')!;
    expect(bulk[col('申请人身份证号')]).toBe('110***********002X');
    expect(bulk[col('请求金额（元）')]).toBe('\t73.50');
  });

  it("applies the list's filters and the user's scope", async () => {
    const total = Number((await t.db.query(`SELECT count(*) AS n FROM cases`))[0].n);
    expect(await exportRows(admin)).toHaveLength(total);
    expect(await exportRows(cityStaff, { workstationId: b.ws.id })).toHaveLength(1);
    expect((await exportRows(b.clerk)).map((r) => r[col('案情摘要')])).toEqual(['乙工作室的案件']);
    expect(await exportRows(b.staff, { workstationId: a.ws.id })).toEqual([]);

    const failed = await exportRows(a.staff, { status: 'failed' });
    expect(failed.length).toBe(Math.floor((2 * EXPORT_BATCH_SIZE + 234) / 3));
    expect(new Set(failed.map((r) => r[col('案件状态')]))).toEqual(new Set(['调解不成']));
    expect(await exportRows(a.staff, { disputeType: 'dismissal' })).toHaveLength(1);
    expect(await exportRows(a.staff, { overdue: 'true' })).toHaveLength(Math.floor((2 * EXPORT_BATCH_SIZE + 234) / 5));
    const recent = await exportRows(a.staff, { receivedFrom: new Date(Date.now() - 86400_000).toISOString() });
    expect(recent.map((r) => r[col('案件编号')]).sort()).toEqual(expect.arrayContaining([tricky.caseNumber]));
    expect(recent.some((r) => r[col('案件编号')].startsWith('BULK-'))).toBe(false);

    // Mediators: their own cases only.
    const own = await exportRows(a.mediator);
    expect(own.map((r) => r[col('案件编号')])).toEqual([tricky.caseNumber]);
    const second = await exportRows(a.mediator2);
    expect(second.length).toBe(Math.floor((2 * EXPORT_BATCH_SIZE + 234) / 2));
    expect(await exportRows(a.mediator2, { mediatorId: a.mediator.id })).toEqual([]);
  });

  it('rejects bad filters with 400 before anything is streamed, and needs a token', async () => {
    for (const query of [{ status: 'bogus' }, { disputeType: 'x' }, { overdue: 'maybe' }, { receivedFrom: 'yesterday' }, { workstationId: 'nope' }, { unknown: '1' }] as Array<Record<string, string>>) {
      const res = await exportCsv(a.staff, query);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.raw.toString())).toMatchObject({ statusCode: 400 });
    }
    await t.http.get('/api/v1/cases/export.csv').expect(401);
  });

  it('does not shadow GET /cases/:id', async () => {
    const res = await t.http.get(`/api/v1/cases/${tricky.id}`).set(bearer(a.staff)).expect(200);
    expect(res.body.caseNumber).toBe(tricky.caseNumber);
  });
});
