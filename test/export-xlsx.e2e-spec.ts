import ExcelJS from 'exceljs';
import { addDays, shanghaiDate } from '../src/common/business-time';
import { createCase } from './utils/case-factory';
import { bearer, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { getBinary } from './utils/binary';

jest.setTimeout(120_000);
type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;

describe('Excel exports: GET /cases/export.xlsx and GET /stats/report.xlsx (e2e)', () => {
  let t: TestApp;
  let a: Team;
  let b: Team;
  let tricky: { id: string; caseNumber: string };
  let receivedAt: Date;
  const BULK = 1234;

  function binary(user: TestUser, path: string, query: Record<string, string> = {}) {
    return getBinary(t, user, path, query);
  }

  async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    return wb;
  }

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    [a, b] = await Promise.all([makeWorkstationTeam(t), makeWorkstationTeam(t)]);
    receivedAt = new Date(Date.now() - 3600_000);
    tricky = await createCase(t, a.staff, a.ws.id, {
      summary: '=SUM(A1:A9) 拖欠工资',
      claimAmount: '12345.60',
      applicant: { name: '张三', idNumber: '420102199001011234', phone: '13800000000' },
      respondent: { name: '某某公司', creditCode: '914201001234567890' },
      receivedAt: receivedAt.toISOString(),
    });
    await t.http.post(`/api/v1/cases/${tricky.id}/assign`).set(bearer(a.staff)).send({ mediatorId: a.mediator.id }).expect(200);
    await t.http
      .post(`/api/v1/cases/${tricky.id}/agreement`)
      .set(bearer(a.mediator))
      .send({ terms: '一次性支付', agreedAmount: '10000.00', signedAt: new Date(Date.now() - 60_000).toISOString(), installments: [] })
      .expect(201);
    await createCase(t, b.staff, b.ws.id, { summary: '乙工作室的案件' });
    await t.db.query(
      `INSERT INTO cases (case_number, workstation_id, source, dispute_type, status, summary, claim_amount, applicant_name, applicant_id_number,
                          respondent_name, received_at, deadline_at, overdue)
       SELECT 'BULK-' || lpad(g::text, 5, '0'), $1, 'walk_in', 'wage_arrears', 'registered', '批量', (g * 10.5)::numeric(14,2),
              '批量申请人' || g, '11010519491231002X', '批量公司', $2::timestamptz - g * interval '1 minute', now() + interval '3 days', false
       FROM generate_series(1, $3::int) g`,
      [a.ws.id, new Date(Date.now() - 2 * 86400_000), BULK],
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  it('streams the ledger with Chinese headers, typed cells, a frozen header row and column widths', async () => {
    const res = await binary(a.staff, '/cases/export.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{8}\.xlsx"/);
    expect(res.headers['cache-control']).toBe('no-store');
    const wb = await workbook(res.body);
    const sheet = wb.getWorksheet('案件台账')!;
    expect(sheet).toBeDefined();
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers.slice(0, 3)).toEqual(['案件编号', '工作室', '案件来源']);
    expect(headers).toContain('请求金额（元）');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBe(1 + 1 + BULK);
    const col = (name: string) => headers.indexOf(name) + 1;
    for (let i = 1; i <= headers.length; i++) expect(sheet.getColumn(i).width).toBeGreaterThanOrEqual(9);

    // Newest first: the tricky case was received an hour ago, the bulk two days ago.
    const row = sheet.getRow(2);
    expect(row.getCell(col('案件编号')).value).toBe(tricky.caseNumber);
    expect(row.getCell(col('案件编号')).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(col('统一社会信用代码')).value).toBe('914201001234567890'); // text: all 18 digits kept
    expect(row.getCell(col('申请人身份证号')).value).toBe('420***********1234');
    expect(row.getCell(col('案情摘要')).value).toBe('=SUM(A1:A9) 拖欠工资'); // a string, never a formula
    expect(row.getCell(col('案情摘要')).type).toBe(ExcelJS.ValueType.String);

    const claim = row.getCell(col('请求金额（元）'));
    expect(claim.type).toBe(ExcelJS.ValueType.Number);
    expect(claim.value).toBe(12345.6);
    expect(claim.numFmt).toBe('#,##0.00');
    expect(row.getCell(col('协议金额（元）')).value).toBe(10000);
    expect(row.getCell(col('协议金额（元）')).numFmt).toBe('#,##0.00');
    expect(row.getCell(col('涉及人数')).value).toBe(1);

    const received = row.getCell(col('收案时间'));
    expect(received.type).toBe(ExcelJS.ValueType.Date);
    // The Shanghai wall-clock time, to the minute.
    const local = new Date(receivedAt.getTime() + 8 * 3600_000);
    local.setUTCSeconds(0, 0);
    expect((received.value as Date).toISOString()).toBe(local.toISOString());
    // A 15-day period ends at 24:00 of day N and is shown as day N.
    const deadline = row.getCell(col('调解期限'));
    expect(deadline.type).toBe(ExcelJS.ValueType.Date);
    expect((deadline.value as Date).toISOString().slice(0, 10)).toBe(addDays(shanghaiDate(receivedAt), 15));
    expect(row.getCell(col('结案时间')).type).toBe(ExcelJS.ValueType.Date);
    expect(row.getCell(col('是否超期')).value).toBe('否');

    const last = sheet.getRow(1 + 1 + BULK);
    expect(last.getCell(col('案件编号')).value).toBe(`BULK-${String(BULK).padStart(5, '0')}`);
    expect(last.getCell(col('请求金额（元）')).value).toBe(BULK * 10.5);
    expect(last.getCell(col('申请人身份证号')).value).toBe('110***********002X');
    expect(last.getCell(col('结案时间')).value).toBeNull();
  });

  it("applies the list's filters and the user's scope, and rejects bad filters before streaming", async () => {
    const own = await workbook((await binary(b.staff, '/cases/export.xlsx')).body);
    expect(own.getWorksheet('案件台账')!.rowCount).toBe(2);
    const filtered = await workbook((await binary(a.staff, '/cases/export.xlsx', { q: tricky.caseNumber })).body);
    expect(filtered.getWorksheet('案件台账')!.rowCount).toBe(2);
    const mediator = await workbook((await binary(a.mediator, '/cases/export.xlsx')).body);
    expect(mediator.getWorksheet('案件台账')!.rowCount).toBe(2);
    const bad = await binary(a.staff, '/cases/export.xlsx', { status: 'bogus' });
    expect(bad.status).toBe(400);
    expect(JSON.parse((bad.body as Buffer).toString())).toMatchObject({ statusCode: 400 });
    await t.http.get('/api/v1/cases/export.xlsx').expect(401);
  });

  it('the CSV keeps working, with amounts and long digit strings kept as written', async () => {
    const res = await binary(a.staff, '/cases/export.csv', { q: tricky.caseNumber });
    expect(res.status).toBe(200);
    const text = (res.body as Buffer).toString('utf8');
    expect(text).toContain(',\t914201001234567890,');
    expect(text).toContain(',\t12345.60,');
    expect(text).toContain(',\t10000.00,');
  });

  it('the statistics report workbook has a sheet per table with numbers, percentages and amounts', async () => {
    const to = shanghaiDate(new Date());
    const from = addDays(to, -10);
    const monthsInPeriod = new Set(Array.from({ length: 11 }, (_, i) => addDays(from, i).slice(0, 7)));
    const res = await binary(a.staff, '/stats/report.xlsx', { from, to });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = await workbook(res.body);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['主要指标', '分月统计', '按纠纷类型', '按调解员']);
    const summary = wb.getWorksheet('主要指标')!;
    expect(String(summary.getCell('A1').value)).toContain(a.ws.name);
    const figures = new Map<string, ExcelJS.Cell>();
    summary.eachRow((row, n) => {
      if (n > 2) figures.set(String(row.getCell(1).value), row.getCell(2));
    });
    expect(figures.get('受理案件')!.value).toBe(1 + BULK); // workstation A only
    expect(figures.get('达成调解协议')!.value).toBe(1);
    expect(figures.get('调解成功率')!.value).toBe(1);
    expect(figures.get('调解成功率')!.numFmt).toBe('0.0%');
    expect(figures.get('协议金额（元）')!.value).toBe(10000);
    expect(figures.get('协议金额（元）')!.numFmt).toBe('#,##0.00');
    const months = wb.getWorksheet('分月统计')!;
    expect(months.rowCount).toBe(2 + monthsInPeriod.size);
    expect(months.getCell('A3').value).toBe(from.slice(0, 7));
    expect(months.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect((await binary(a.staff, '/stats/report.xlsx', { workstationId: b.ws.id })).status).toBe(404);
  });
});
