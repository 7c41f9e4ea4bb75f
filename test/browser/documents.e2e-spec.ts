import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { caseInState } from '../utils/case-factory';
import { getBinary } from '../utils/binary';
import { bearer, makeWorkstationTeam } from '../utils/factories';
import { login, openPage, shot, startBrowserEnv, choose, type BrowserEnv } from './support';

/**
 * Documents, attachments and exports through the page alone, as the mediator, the union staff and a
 * user of another workstation use them (the API is used only to set up the cases and to make a real
 * PDF to upload): upload, new version, download byte for byte, a refused file with the server's
 * Chinese message, the agreement PDF, the ledger as .xlsx and CSV, the statistics report.
 */
jest.setTimeout(180_000);
type Team = Awaited<ReturnType<typeof makeWorkstationTeam>>;

/** The text of a PDF (poppler's pdftotext), white space removed so that line breaks do not split a match. */
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, '');

/**
 * Clicks `selector` and answers the file the page saves (a blob link the page clicks); fails with the
 * page's own error message when it shows one instead. Reports take a while on a busy machine.
 */
async function downloadBy(page: Page, selector: string): Promise<{ download: Download; bytes: Buffer }> {
  const wait = 30_000;
  const refused = page.waitForSelector('.el-message--error', { timeout: wait }).then(
    async (toast) => Promise.reject(new Error(`the page showed an error instead of a file: ${await toast.textContent()}`)),
    () => new Promise<never>(() => undefined),
  );
  const [download] = await Promise.all([Promise.race([page.waitForEvent('download', { timeout: wait }), refused]), page.click(selector)]);
  expect(await download.failure()).toBeNull();
  return { download, bytes: readFileSync((await download.path())!) };
}

/** The size as the attachments panel writes it. */
const sizeText = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

describe('documents, attachments and exports in the browser', () => {
  let env: BrowserEnv;
  let a: Team;
  let b: Team;
  let agreed: { id: string; caseNumber: string };
  let assigned: { id: string; caseNumber: string };
  const applicantName = `李海燕${Date.now() % 10000}`;
  const respondentName = `武汉江岸某某物流有限公司${Date.now() % 10000}`;
  /** Set by the upload test; the other workstation's user tries it last. */
  let attachmentId = '';

  beforeAll(async () => {
    env = await startBrowserEnv();
    [a, b] = await Promise.all([makeWorkstationTeam(env.t), makeWorkstationTeam(env.t)]);
    agreed = await caseInState(env.t, a, 'agreement_reached', {
      applicant: { name: applicantName, idNumber: '420102199001011234', phone: '13800000000' },
      respondent: { name: respondentName, creditCode: '91420100MA4K0000XX' },
    });
    assigned = await caseInState(env.t, a, 'assigned');
  }, 240_000);

  afterAll(async () => {
    await env?.browser.close();
    await env?.t.close();
  });

  it('the mediator uploads the signed agreement, then a new version, and downloads it byte for byte', async () => {
    // Real PDFs to upload: the app's own documents of this case (what a scan of the signed copy would replace).
    const first = (await getBinary(env.t, a.mediator, `/cases/${agreed.id}/documents/agreement.pdf`)).body;
    const second = (await getBinary(env.t, a.mediator, `/cases/${agreed.id}/documents/registration.pdf`)).body;
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(first, second)).not.toBe(0);

    const { page, context, errors } = await openPage(env);
    await login(page, env.base, a.mediator, `/cases/${agreed.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    await page.waitForSelector('[data-testid=attachments-empty]');

    await choose(page, 'attachment-kind-select', '签署的调解协议书');
    // The page's own control, in the page's language (the browser's file control is hidden).
    expect(await page.textContent('[data-testid=attachment-choose]')).toBe('选择文件');
    expect(await page.textContent('[data-testid=attachment-file-name]')).toBe('未选择文件');
    await page.setInputFiles('[data-testid=attachment-file]', { name: '调解协议书（签字版）.pdf', mimeType: 'application/pdf', buffer: first });
    expect(await page.textContent('[data-testid=attachment-file-name]')).toBe('调解协议书（签字版）.pdf');
    await page.click('[data-testid=attachment-submit]');
    await page.waitForSelector('[data-testid=attachment]');
    const item = page.locator('[data-testid=attachment]').first();
    expect(await item.locator('[data-testid=attachment-name]').textContent()).toBe('调解协议书（签字版）.pdf');
    expect(await item.locator('[data-testid=attachment-kind]').textContent()).toBe('签署的调解协议书');
    expect(await item.locator('[data-testid=attachment-type]').textContent()).toBe('PDF');
    expect(await item.locator('[data-testid=attachment-size]').textContent()).toBe(sizeText(first.length));
    expect(await item.locator('[data-testid=attachment-uploader]').textContent()).toBe(a.mediator.displayName);
    const firstId = (await item.getAttribute('data-id'))!;
    // The file input is cleared: the same file is not sent twice by a second click.
    expect(await page.isDisabled('[data-testid=attachment-submit]')).toBe(true);
    expect(await page.textContent('[data-testid=attachment-file-name]')).toBe('未选择文件');

    // A new version of it: the old one stays listed, marked superseded; the kind is the old one's.
    await item.locator('[data-testid=attachment-new-version]').click();
    expect(await page.textContent('[data-testid=attachment-replacing]')).toContain('调解协议书（签字版）.pdf');
    await page.setInputFiles('[data-testid=attachment-file]', { name: '调解协议书（签字版）-盖章.pdf', mimeType: 'application/pdf', buffer: second });
    await page.click('[data-testid=attachment-submit]');
    await page.waitForSelector('[data-testid=attachment] >> nth=1');
    const items = page.locator('[data-testid=attachment]');
    expect(await items.count()).toBe(2);
    expect(await items.nth(0).getAttribute('data-id')).toBe(firstId);
    expect(await items.nth(0).getAttribute('data-current')).toBe('false');
    expect(await items.nth(0).locator('[data-testid=attachment-superseded]').textContent()).toBe('已被新版本取代');
    expect(await items.nth(0).locator('[data-testid=attachment-new-version]').count()).toBe(0);
    expect(await items.nth(1).getAttribute('data-current')).toBe('true');
    expect(await items.nth(1).locator('[data-testid=attachment-kind]').textContent()).toBe('签署的调解协议书');
    expect(await items.nth(1).locator('[data-testid=attachment-size]').textContent()).toBe(sizeText(second.length));
    attachmentId = (await items.nth(1).getAttribute('data-id'))!;
    const [row] = await env.t.db.query(`SELECT supersedes_id FROM attachments WHERE id = $1`, [attachmentId]);
    expect(row.supersedes_id).toBe(firstId);
    // The upload is on the timeline too.
    await page.waitForSelector('[data-testid=timeline] li[data-type=attachment_added]');
    const added = await page.locator('[data-testid=timeline] li[data-type=attachment_added]').first().textContent();
    expect(added).toContain('上传附件');
    expect(added).toContain('调解协议书（签字版）-盖章.pdf · 签署的调解协议书');
    await shot(page, 'attachments-listed');

    // Both versions download byte for byte, under their own names.
    const latest = await downloadBy(page, `[data-testid=attachment][data-id="${attachmentId}"] [data-testid=attachment-name]`);
    expect(latest.download.suggestedFilename()).toBe('调解协议书（签字版）-盖章.pdf');
    expect(Buffer.compare(latest.bytes, second)).toBe(0);
    const older = await downloadBy(page, `[data-testid=attachment][data-id="${firstId}"] [data-testid=attachment-name]`);
    expect(Buffer.compare(older.bytes, first)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses an .exe named .pdf with the server\'s Chinese message, and lists nothing', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, a.mediator, `/cases/${assigned.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    await page.waitForSelector('[data-testid=attachments-empty]');
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(2048, 0x41)]);
    await choose(page, 'attachment-kind-select', '证据');
    await page.setInputFiles('[data-testid=attachment-file]', { name: '工资条.pdf', mimeType: 'application/pdf', buffer: exe });
    await page.click('[data-testid=attachment-submit]');
    await page.waitForSelector('[data-testid=attachment-error]');
    expect(await page.textContent('[data-testid=attachment-error]')).toBe('仅支持 PDF、JPEG、PNG、DOCX、XLSX 文件（按文件内容识别）');
    expect(await page.locator('[data-testid=attachment]').count()).toBe(0);
    expect(await page.isVisible('[data-testid=attachments-empty]')).toBe(true);
    const [{ n }] = await env.t.db.query(`SELECT count(*)::int AS n FROM attachments WHERE case_id = $1`, [assigned.id]);
    expect(n).toBe(0);
    await shot(page, 'attachment-refused');
    // In English, the page's texts and the server's message follow the switch.
    await page.click('[data-testid=lang-switch]');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid=attachment-choose]')?.textContent.trim() === 'Choose a file');
    expect(await page.textContent('[data-testid=attachment-error]')).toBe('Only PDF, JPEG, PNG, DOCX and XLSX files are accepted (checked by content)');
    expect(await page.textContent('[data-testid=attachment-submit]')).toContain('Upload');
    expect(await page.textContent('[data-testid=attachments-empty]')).not.toMatch(/[\u4e00-\u9fff]/);
    await shot(page, 'attachment-refused-en');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the mediator downloads the 调解协议书 from the case page; a document the state does not allow is not offered', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, a.mediator, `/cases/${assigned.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    // An assigned case has no agreement yet: only its registration form.
    expect(await page.locator('[data-testid^=doc-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['doc-registration']);

    await page.goto(`${env.base}/cases/${agreed.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=ready]');
    expect(await page.locator('[data-testid^=doc-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual([
      'doc-registration',
      'doc-agreement',
      'doc-confirmation-application',
    ]);
    const { download, bytes } = await downloadBy(page, '[data-testid=doc-agreement]');
    expect(download.suggestedFilename()).toBe(`${agreed.caseNumber}-调解协议书.pdf`);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(bytes);
    for (const expected of [agreed.caseNumber, applicantName, respondentName, '10,000.00', a.mediator.displayName]) expect(text).toContain(expected);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('union staff export the ledger as .xlsx (typed cells) and CSV from the case list, and the statistics report', async () => {
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, a.staff);
    await page.click('[data-testid=nav-cases]');
    await page.waitForSelector(`[data-testid=case-list][data-state=ready] a:has-text("${agreed.caseNumber}")`);

    const xlsx = await downloadBy(page, '[data-testid=export-xlsx]');
    expect(xlsx.download.suggestedFilename()).toMatch(/^案件台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('案件台账')!;
    expect(sheet).toBeDefined();
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => {
      const i = headers.indexOf(name);
      expect(i).toBeGreaterThanOrEqual(0);
      return i + 1;
    };
    const rows: ExcelJS.Row[] = [];
    sheet.eachRow((r, n) => n > 1 && rows.push(r));
    expect(rows.length).toBe(2);
    const ours = rows.find((r) => r.getCell(col('案件编号')).value === agreed.caseNumber)!;
    expect(ours).toBeDefined();
    expect(ours.getCell(col('案件编号')).type).toBe(ExcelJS.ValueType.String);
    expect(ours.getCell(col('协议金额（元）')).type).toBe(ExcelJS.ValueType.Number);
    expect(ours.getCell(col('协议金额（元）')).value).toBe(10000);
    expect(ours.getCell(col('请求金额（元）')).value).toBe(12500);
    expect(ours.getCell(col('收案时间')).type).toBe(ExcelJS.ValueType.Date);

    const csv = await downloadBy(page, '[data-testid=export-csv]');
    expect(csv.download.suggestedFilename()).toMatch(/^案件台账-\d{4}-\d{2}-\d{2}\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csv.bytes.toString('utf8');
    expect(csvText).toContain(agreed.caseNumber);
    expect(csvText).toContain(assigned.caseNumber);

    await page.click('[data-testid=nav-stats]');
    await page.waitForSelector('[data-testid=stats][data-state=ready]');
    const report = await downloadBy(page, '[data-testid=report-xlsx]');
    expect(report.download.suggestedFilename()).toMatch(/^统计报表-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const rb = new ExcelJS.Workbook();
    await rb.xlsx.load(report.bytes as unknown as ArrayBuffer);
    expect(rb.worksheets.length).toBeGreaterThan(0);
    const numbers: unknown[] = [];
    rb.worksheets[0].eachRow((r) => r.eachCell((cell) => cell.type === ExcelJS.ValueType.Number && numbers.push(cell.value)));
    expect(numbers.length).toBeGreaterThan(0);
    const pdf = await downloadBy(page, '[data-testid=report-pdf]');
    expect(pdf.download.suggestedFilename()).toMatch(/\.pdf$/);
    const reportText = pdfText(pdf.bytes);
    expect(reportText).toContain('劳动争议调解工作统计报表');
    expect(reportText).toContain(a.ws.name);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("another workstation's user finds neither the case page nor the attachment", async () => {
    expect(attachmentId).not.toBe('');
    const { page, context, errors } = await openPage(env);
    await login(page, env.base, b.mediator, `/cases/${agreed.id}`);
    await page.waitForSelector('[data-testid=case-page][data-state=not-found]');
    expect(await page.textContent('[data-testid=case-not-found]')).toContain('案件不存在');
    expect(await page.locator('[data-testid=case-number], [data-testid=attachments], [data-testid^=doc-]').count()).toBe(0);
    await shot(page, 'case-not-found');
    const res = await page.request.get(`${env.base}/api/v1/attachments/${attachmentId}`, { headers: bearer(b.mediator) });
    expect(res.status()).toBe(404);
    expect((await res.json()).messageZh).toBe('附件不存在或您无权查看');
    // Its own staff still get it.
    const own = await page.request.get(`${env.base}/api/v1/attachments/${attachmentId}`, { headers: bearer(a.staff) });
    expect(own.status()).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });
});
