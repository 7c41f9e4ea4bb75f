import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/accounts-core/role.enum';
import { caseInState } from './utils/case-factory';
import { bearer, makeUser, makeWorkstationTeam, TestUser } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { getBinary } from './utils/binary';

jest.setTimeout(120_000);
type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;

const ARTIFACTS = join(__dirname, 'artifacts');

/** The text of a PDF (poppler's pdftotext), with all white space removed so that line breaks do not split a match. */
function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, '');
}

function pdfFonts(pdf: Buffer, name: string): string {
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdffonts', [file]).toString('utf8');
}

/** The first page as a picture (what a person sees), kept under test/artifacts/. */
function pagePicture(pdf: Buffer, name: string): void {
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(ARTIFACTS, name)]);
}

/** An instant as the day it falls on in Beijing, written as the documents write it: 2026年11月28日. */
function beijingDateZh(instant: string): string {
  const d = new Date(Date.parse(instant) + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

describe('case documents and the statistics report as PDF (e2e)', () => {
  let t: TestApp;
  let a: Team;
  let b: Team;
  let admin: TestUser;
  let agreed: { id: string; caseNumber: string };
  let entrusted: { id: string; caseNumber: string };
  let failed: { id: string; caseNumber: string };
  let registered: { id: string; caseNumber: string };

  async function pdf(user: TestUser, path: string) {
    return getBinary(t, user, path);
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({ workers: false });
    a = await makeWorkstationTeam(t);
    b = await makeWorkstationTeam(t);
    admin = await makeUser(t, Role.Admin, null);

    const base = await caseInState(t, a, 'in_mediation', {
      applicant: { name: '王小明', idNumber: '420102199001011234', phone: '13800000000' },
      respondent: { name: '武汉某某建筑有限公司', creditCode: '91420100MA4K0000XX', phone: '027-88886666' },
      claimAmount: '38600.00',
      summary: '申请人在被申请人处从事钢筋工作，被拖欠2026年7月至9月工资。',
    });
    const signedAt = new Date(Date.now() - 600_000).toISOString();
    const res = await t.http
      .post(`/api/v1/cases/${base.id}/agreement`)
      .set(bearer(a.mediator))
      .send({
        terms: '被申请人分两期向申请人支付拖欠工资，申请人放弃其余请求。',
        agreedAmount: '30000.00',
        signedAt,
        installments: [
          { dueDate: '2027-01-15', amount: '12500.00' },
          { dueDate: '2027-02-15', amount: '17500.00' },
        ],
      });
    expect(res.status).toBe(201);
    agreed = base;
    entrusted = await caseInState(t, a, 'agreement_reached', { source: 'court_entrusted', courtCaseNumber: '（2026）鄂0102民初1234号' });
    failed = await caseInState(t, a, 'failed', { applicant: { name: '李四', idNumber: '420102198506061111' } });
    registered = await caseInState(t, a, 'registered');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the agreement holds the parties, the amounts, the installments and the dates, with its fonts embedded and subset', async () => {
    const res = await pdf(a.mediator, `/cases/${agreed.id}/documents/agreement.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('劳动争议调解协议书')}`);
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(body);
    for (const expected of [
      '劳动争议调解协议书',
      agreed.caseNumber,
      '王小明',
      '420102199001011234', // the assigned mediator sees the whole number
      '武汉某某建筑有限公司',
      '91420100MA4K0000XX',
      '30,000.00',
      '叁万元整',
      '12,500.00',
      '17,500.00',
      '2027年1月15日',
      '2027年2月15日',
      a.mediator.displayName,
      a.ws.name,
      '申请人（签名或盖章）',
      '被申请人（签名或盖章）',
      '调解员（签名）',
      '第十四条',
      '—1—',
    ]) {
      expect(text).toContain(expected);
    }
    const fonts = pdfFonts(body, 'agreement');
    // "emb sub" columns: yes yes; subset names carry a six-letter tag.
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSerifCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes/);
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansCJKsc-Bold/);
    pagePicture(body, 'agreement');
  });

  it('identity numbers are masked for viewers who may not see them whole', async () => {
    const staff = await pdf(a.staff, `/cases/${agreed.id}/documents/agreement.pdf`);
    expect(staff.status).toBe(200);
    const text = pdfText(staff.body);
    expect(text).toContain('420***********1234');
    expect(text).not.toContain('420102199001011234');
    const clerk = pdfText((await pdf(a.clerk, `/cases/${agreed.id}/documents/registration.pdf`)).body);
    expect(clerk).toContain('420102199001011234');
  });

  it('the registration form, the confirmation application and the failure notice carry the case', async () => {
    const registration = await pdf(a.staff, `/cases/${agreed.id}/documents/registration.pdf`);
    expect(registration.status).toBe(200);
    const reg = pdfText(registration.body);
    for (const expected of ['劳动争议调解案件受理登记表', agreed.caseNumber, '王小明', '武汉某某建筑有限公司', '38,600.00', '叁万捌仟陆佰元整', '拖欠劳动报酬', '被拖欠2026年7月至9月工资']) {
      expect(reg).toContain(expected);
    }
    // The form carries the day the case was received, in Beijing time (read from the case: the test may cross midnight).
    const agreedCase = (await t.http.get(`/api/v1/cases/${agreed.id}`).set(bearer(a.staff)).expect(200)).body;
    expect(reg).toContain(beijingDateZh(agreedCase.receivedAt));
    pagePicture(registration.body, 'registration');

    const application = await pdf(admin, `/cases/${agreed.id}/documents/confirmation-application.pdf`);
    expect(application.status).toBe(200);
    const app = pdfText(application.body);
    for (const expected of ['司法确认申请书', '申请人（一）', '王小明', '申请人（二）', '武汉某某建筑有限公司', '送达地址', '请求事项', agreed.caseNumber, '30,000.00', '测试区人民法院', '法释〔2011〕5号']) {
      expect(app).toContain(expected);
    }
    pagePicture(application.body, 'confirmation-application');

    const notice = await pdf(a.mediator, `/cases/${failed.id}/documents/failure-notice.pdf`);
    expect(notice.status).toBe(200);
    const n = pdfText(notice.body);
    const failedCase = (await t.http.get(`/api/v1/cases/${failed.id}`).set(bearer(a.staff)).expect(200)).body;
    for (const expected of ['调解不成通知书', failed.caseNumber, '李四', '终止调解', '劳动争议仲裁委员会申请仲裁', beijingDateZh(failedCase.concludedAt)]) {
      expect(n).toContain(expected);
    }
    pagePicture(notice.body, 'failure-notice');
  });

  it('a document for a state where it makes no sense is a 409 with the state', async () => {
    const noAgreement = await t.http.get(`/api/v1/cases/${registered.id}/documents/agreement.pdf`).set(bearer(a.staff));
    expect(noAgreement.status).toBe(409);
    expect(noAgreement.body.details).toEqual({ status: 'registered', kind: 'agreement' });
    expect(noAgreement.body.messageZh).toContain('尚未达成调解协议');
    expect((await t.http.get(`/api/v1/cases/${registered.id}/documents/failure-notice.pdf`).set(bearer(a.staff))).status).toBe(409);
    expect((await t.http.get(`/api/v1/cases/${failed.id}/documents/confirmation-application.pdf`).set(bearer(a.staff))).status).toBe(409);
    // A court-entrusted case ends with the court's 调解书, not judicial confirmation.
    const court = await t.http.get(`/api/v1/cases/${entrusted.id}/documents/confirmation-application.pdf`).set(bearer(a.staff));
    expect(court.status).toBe(409);
    expect((await pdf(a.staff, `/cases/${entrusted.id}/documents/agreement.pdf`)).status).toBe(200);
  });

  it('outside the case scope every document is a 404, as is an unknown kind', async () => {
    for (const user of [b.staff, b.clerk, b.mediator, a.mediator2]) {
      const res = await t.http.get(`/api/v1/cases/${agreed.id}/documents/agreement.pdf`).set(bearer(user));
      expect(res.status).toBe(404);
    }
    expect((await t.http.get(`/api/v1/cases/${agreed.id}/documents/verdict.pdf`).set(bearer(a.staff))).status).toBe(404);
    expect((await t.http.get(`/api/v1/cases/${agreed.id}/documents/agreement.pdf`)).status).toBe(401);
  });

  it('the statistics report holds the figures, the monthly table and the breakdowns', async () => {
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    const res = await pdf(a.staff, `/stats/report.pdf?from=${year}-01-01&to=${year}-12-31`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.body);
    for (const expected of ['劳动争议调解工作统计报表', a.ws.name, '主要指标', '受理案件', '调解成功率', '分月统计', `${year}-01`, `${year}-12`, '按纠纷类型', '拖欠劳动报酬', '按调解员', a.mediator.displayName, '40,000.00']) {
      expect(text).toContain(expected);
    }
    // Another workstation's report is outside a workstation officer's scope.
    expect((await t.http.get(`/api/v1/stats/report.pdf?workstationId=${b.ws.id}`).set(bearer(a.staff))).status).toBe(404);
    expect((await t.http.get(`/api/v1/stats/report.pdf?from=2026-13-01`).set(bearer(a.staff))).status).toBe(400);
    pagePicture(res.body, 'stats-report');
  });

  it('documents every operation in the OpenAPI document', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const paths = doc.paths as Record<string, Record<string, any>>;
    const caseDoc = paths['/api/v1/cases/{id}/documents/{kind}.pdf'].get;
    expect(caseDoc.summary).toBeTruthy();
    expect(Object.keys(caseDoc.responses['200'].content)).toEqual(['application/pdf']);
    expect(Object.keys(caseDoc.responses)).toEqual(expect.arrayContaining(['200', '401', '404', '409']));
    expect(caseDoc.parameters.find((p: { name: string }) => p.name === 'kind').schema.enum).toEqual(['registration', 'agreement', 'confirmation-application', 'failure-notice']);
    for (const [path, type] of [
      ['/api/v1/stats/report.pdf', 'application/pdf'],
      ['/api/v1/stats/report.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['/api/v1/cases/export.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]) {
      expect(paths[path].get.summary).toBeTruthy();
      expect(Object.keys(paths[path].get.responses['200'].content)).toEqual([type]);
    }
    const upload = paths['/api/v1/cases/{id}/attachments'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '404', '413', '415']));
    expect(paths['/api/v1/cases/{id}/attachments'].get.summary).toBeTruthy();
    expect(paths['/api/v1/attachments/{id}'].get.summary).toBeTruthy();
    expect(doc.components.schemas.AttachmentDto.properties).toHaveProperty('sha256');
  });
});
