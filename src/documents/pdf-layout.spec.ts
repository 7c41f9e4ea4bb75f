import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cjkFaces, fullCjkFacesLoaded } from './cjk-fonts';
import { OfficialPdf } from './pdf-layout';

/** The text of a PDF (poppler's pdftotext), white space removed so that line breaks do not split a match. */
function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, '');
}

/** pdffonts' table: one line per embedded font. */
function pdfFonts(pdf: Buffer): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-layout-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    return execFileSync('pdffonts', [join(dir, 'doc.pdf')])
      .toString('utf8')
      .split('\n')
      .slice(2)
      .filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function agreement(applicant: string, respondent: string, mediator: string): Promise<Buffer> {
  const pdf = new OfficialPdf({ title: '人民调解协议书' });
  pdf.title('人民调解协议书', '（劳动争议）').reference('汉劳调〔2026〕第0001号');
  pdf.labelled('申请人', applicant).labelled('被申请人', respondent);
  pdf.heading('一、纠纷简要事实').paragraph(`申请人${applicant}在被申请人处工作，被拖欠2026年7月至9月工资共计人民币38,600.00元。`);
  pdf.table(
    [
      { header: '期数', width: 1 },
      { header: '当事人', width: 2 },
      { header: '金额（元）', width: 2, align: 'right' },
    ],
    [
      ['1', applicant, '12,500.00'],
      ['2', applicant, '17,500.00'],
    ],
  );
  pdf.signatureLines([{ label: `申请人 ${applicant}` }, { label: `调解员 ${mediator}` }]);
  pdf.issuer('武汉市某区劳动争议人民调解委员会', '2026年11月28日');
  return pdf.finish();
}

describe('OfficialPdf on the subset faces', () => {
  it('the subsets are the Simplified Chinese faces and lack the rare name characters (else the fallback test proves nothing)', () => {
    const { serif, sans } = cjkFaces();
    expect(serif.postscriptName).toBe('NotoSerifCJKsc-Regular');
    expect(sans.postscriptName).toBe('NotoSansCJKsc-Bold');
    for (const ch of '王明鄂赔偿（）：、。—') expect(serif.hasGlyphForCodePoint(ch.codePointAt(0)!)).toBe(true);
    for (const ch of '喆堃赟') expect(serif.hasGlyphForCodePoint(ch.codePointAt(0)!)).toBe(false);
    expect(sans.hasGlyphForCodePoint('昇'.codePointAt(0)!)).toBe(false);
  });

  // Runs before the rare characters below: the full faces, once loaded, stay until FONTS_IDLE_MS.
  it('a document of common characters never loads the full system faces, and embeds one font per face', async () => {
    const pdf = await agreement('王小明', '武汉某某建筑有限公司', '李四');
    expect(fullCjkFacesLoaded()).toEqual([]);
    const text = pdfText(pdf);
    expect(text).toContain('申请人王小明在被申请人处工作');
    expect(text).toContain('武汉某某建筑有限公司');
    const fonts = pdfFonts(pdf);
    expect(fonts.filter((f) => /NotoSerifCJKsc-Regular/.test(f))).toHaveLength(1);
    expect(fonts.filter((f) => /NotoSansCJKsc-Bold/.test(f))).toHaveLength(1);
  });

  it('a character outside the subset is printed from the full face, in body text, labels, tables and titles', async () => {
    const pdf = new OfficialPdf({ title: '人民调解协议书' });
    pdf.title('张昇诉某公司'); // 黑体 title
    pdf.labelled('申请人', '张喆');
    pdf.paragraph('申请人陈堃与被申请人达成如下协议。');
    pdf.table([{ header: '姓名', width: 1 }], [['刘赟']]);
    const bytes = await pdf.finish();
    expect(fullCjkFacesLoaded().sort()).toEqual(['sans', 'serif']);
    const text = pdfText(bytes);
    for (const expected of ['张昇诉某公司', '申请人：张喆', '申请人陈堃与被申请人达成如下协议。', '刘赟']) expect(text).toContain(expected);
    // (Printed from the subset, a missing character is the .notdef glyph, which pdftotext skips.)
    // The subset faces for the common text, the full ones for the texts with a rare character: each
    // full face is an embedded font of its own.
    const fonts = pdfFonts(bytes);
    expect(fonts.filter((f) => /NotoSerifCJKsc-Regular/.test(f))).toHaveLength(2);
    expect(fonts.filter((f) => /NotoSansCJKsc-Bold/.test(f))).toHaveLength(2);
    expect(fonts.every((f) => /yes\s+yes/.test(f))).toBe(true); // embedded, subset
  });

  it('measures a text with a rare character as it prints it (the table row fits its text)', async () => {
    const pdf = new OfficialPdf({ title: 't' });
    const common = pdf.doc.font('serif').fontSize(13).widthOfString('张三丰');
    const rare = pdf.doc.font('serif').fontSize(13).widthOfString('张喆丰');
    expect(rare).toBeCloseTo(common, 5); // full-width ideographs: the same advance in either face
    expect(pdf.doc.heightOfString('张喆丰', { width: 1000 })).toBeCloseTo(pdf.doc.heightOfString('张三丰', { width: 1000 }), 5);
    await pdf.finish();
  });
});
