import type PDFKitDocument from 'pdfkit';
import { type CjkFace, type CjkFaces, cjkFaces, coversText, documentFinished, fullCjkFace, sharedLayoutCache } from './cjk-fonts';

let pdfKit: typeof PDFKitDocument | undefined;

/**
 * pdfkit (with fontkit, some 20 MB resident) loads with the first document, not with the app. It
 * stays loaded when the faces are let go (cjk-fonts' FONTS_IDLE_MS): unloading it as well gave back
 * some 6 MB more but made the next document 250-450 ms slower instead of 60-120 ms
 * (bench/results/2026-11-29-documents-memory.md).
 */
function pdfDocumentClass(): typeof PDFKitDocument {
  return (pdfKit ??= require('pdfkit') as typeof PDFKitDocument);
}

/** Millimetres to PDF points. */
const mm = (v: number) => (v * 72) / 25.4;

/**
 * The page of an official Chinese document (GB/T 9704 "党政机关公文格式", simplified): A4, margins
 * top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the title centred in a 黑体-style face, the
 * body in a 宋体-style face; the page number centred at the foot as "— 1 —".
 */
export const PAGE = { size: 'A4' as const, top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) };
export const FONT_SIZE = { title: 22, heading: 14, body: 13, table: 10.5, small: 9 };

export interface TableColumn {
  header: string;
  /** Relative width (the columns share the text width in proportion). */
  width: number;
  align?: 'left' | 'center' | 'right';
}

/**
 * A document being written: thin helpers over pdfkit for the few shapes the documents use
 * (title, paragraphs, label rows, ruled tables, signature lines, a seal placeholder).
 */
export class OfficialPdf {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly finished: Promise<Buffer>;
  /** pdfkit's font objects of the subset faces, and which face each is. */
  private readonly subsetFaces = new Map<object, CjkFace>();

  constructor(info: { title: string; subject?: string }) {
    const PDFDocument = pdfDocumentClass();
    this.doc = new PDFDocument({
      size: PAGE.size,
      margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right },
      bufferPages: true,
      info: { Title: info.title, Subject: info.subject ?? info.title, Creator: 'mediation-tracker', Producer: 'mediation-tracker (pdfkit)' },
      lang: 'zh-CN',
      displayTitle: true,
    });
    const faces = cjkFaces();
    for (const face of ['sans', 'serif'] as const) {
      this.doc.registerFont(face, faces[face] as never);
      this.useSharedLayoutCache(face);
      this.subsetFaces.set(this.currentFont(), face);
    }
    this.fallBackToFullFaces(faces);
    this.doc.fontSize(FONT_SIZE.body);
    this.finished = new Promise((resolve, reject) => {
      this.doc.on('data', (c: Buffer) => this.chunks.push(c));
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  private currentFont(): object {
    return (this.doc as unknown as { _font: object })._font;
  }

  /** Selects a registered font and gives it the process-wide layout cache (see sharedLayoutCache). */
  private useSharedLayoutCache(name: string): void {
    (this.doc.font(name) as unknown as { _font: { layoutCache?: object } })._font.layoutCache = sharedLayoutCache(name);
  }

  /**
   * A text with a character the subset face lacks (a rare name character such as 喆 or 堃) is laid out
   * and printed from the full face, loaded then (CjkFontMissingError when it is not installed): the
   * text and size, line breaks and alignment are the same, since the subset is a part of that face
   * with its metrics. Every pdfkit call that lays out text goes through here (text, heightOfString,
   * widthOfString), so that measuring and printing agree; the subset face is selected again after.
   */
  private fallBackToFullFaces(faces: CjkFaces): void {
    const doc = this.doc as unknown as Record<'text' | 'heightOfString' | 'widthOfString', (text: unknown, ...rest: unknown[]) => unknown>;
    const registered = new Set<string>();
    for (const method of ['text', 'heightOfString', 'widthOfString'] as const) {
      const original = doc[method];
      doc[method] = (text: unknown, ...rest: unknown[]) => {
        const face = this.subsetFaces.get(this.currentFont());
        if (face === undefined || text == null || coversText(faces[face], String(text))) return original.call(this.doc, text, ...rest);
        const full = `${face}-full`;
        if (!registered.has(full)) {
          this.doc.registerFont(full, fullCjkFace(face) as never);
          registered.add(full);
        }
        this.useSharedLayoutCache(full);
        try {
          return original.call(this.doc, text, ...rest);
        } finally {
          this.doc.font(face);
        }
      };
    }
  }

  get width(): number {
    return this.doc.page.width - PAGE.left - PAGE.right;
  }

  private get bottomLimit(): number {
    return this.doc.page.height - PAGE.bottom;
  }

  /** Starts a new page when less than `height` points are left on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottomLimit) this.doc.addPage();
  }

  title(text: string, subtitle?: string): this {
    this.doc.font('sans').fontSize(FONT_SIZE.title).text(text, PAGE.left, this.doc.y, { align: 'center', width: this.width, characterSpacing: 2 });
    if (subtitle) this.doc.moveDown(0.2).font('serif').fontSize(FONT_SIZE.body).text(subtitle, PAGE.left, this.doc.y, { align: 'center', width: this.width });
    this.doc.moveDown(0.8);
    return this;
  }

  /** A right-aligned line under the title, e.g. the document number. */
  reference(text: string): this {
    this.doc.font('serif').fontSize(FONT_SIZE.body).text(text, PAGE.left, this.doc.y, { align: 'right', width: this.width });
    this.doc.moveDown(0.5);
    return this;
  }

  heading(text: string, keepWithNext = 40): this {
    this.ensureSpace(keepWithNext + 24);
    this.doc.moveDown(0.3).font('sans').fontSize(FONT_SIZE.heading).text(text, PAGE.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3).font('serif').fontSize(FONT_SIZE.body);
    return this;
  }

  /** A paragraph with the first line indented by two characters. */
  paragraph(text: string, options: { indent?: boolean; align?: 'left' | 'justify' | 'right' | 'center' } = {}): this {
    this.doc.font('serif').fontSize(FONT_SIZE.body);
    this.doc.text(text, PAGE.left, this.doc.y, {
      width: this.width,
      align: options.align ?? 'justify',
      indent: options.indent === false ? 0 : FONT_SIZE.body * 2,
      lineGap: 5,
    });
    this.doc.moveDown(0.35);
    return this;
  }

  /** "label：value" with the label in the heading face; an empty value leaves a line to fill in by hand. */
  labelled(label: string, value: string | null | undefined): this {
    this.doc.font('serif').fontSize(FONT_SIZE.body).text(`${label}：`, PAGE.left, this.doc.y, { continued: true, lineGap: 5 });
    this.doc.text(value && value.trim() ? value : '＿＿＿＿＿＿＿＿＿＿＿＿', { width: this.width, lineGap: 5 });
    this.doc.moveDown(0.15);
    return this;
  }

  /**
   * A ruled table; rows grow with their text, the header repeats on each new page. `rows` hold
   * text only: amounts are formatted by the caller.
   */
  table(columns: TableColumn[], rows: string[][], options: { fontSize?: number; headerFill?: string } = {}): this {
    const size = options.fontSize ?? FONT_SIZE.table;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const pad = 4;
    const doc = this.doc;
    const rowHeight = (cells: string[], font: 'serif' | 'sans') => {
      doc.font(font).fontSize(size);
      return Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] - 2 * pad })), size) + 2 * pad;
    };
    const drawRow = (cells: string[], font: 'serif' | 'sans', fill?: string) => {
      const h = rowHeight(cells, font);
      if (doc.y + h > this.bottomLimit) {
        doc.addPage();
        if (font === 'serif') drawRow(columns.map((c) => c.header), 'sans', options.headerFill ?? '#eeeeee');
      }
      const top = doc.y;
      let x = PAGE.left;
      cells.forEach((cell, i) => {
        if (fill) doc.save().rect(x, top, widths[i], h).fill(fill).restore();
        doc.lineWidth(0.6).strokeColor('#000000').rect(x, top, widths[i], h).stroke();
        doc.fillColor('#000000').font(font).fontSize(size).text(cell || '', x + pad, top + pad, { width: widths[i] - 2 * pad, align: font === 'sans' ? 'center' : (columns[i].align ?? 'left') });
        x += widths[i];
      });
      doc.x = PAGE.left;
      doc.y = top + h;
    };
    // A short table stays on one page; a long one starts with its header and at least one row.
    const headerHeight = rowHeight(columns.map((c) => c.header), 'sans');
    const bodyHeight = rows.reduce((sum, row) => sum + rowHeight(row, 'serif'), 0);
    this.ensureSpace(headerHeight + bodyHeight < (this.bottomLimit - PAGE.top) * 0.4 ? headerHeight + bodyHeight : headerHeight * 2);
    drawRow(columns.map((c) => c.header), 'sans', options.headerFill ?? '#eeeeee');
    for (const row of rows) drawRow(row, 'serif');
    doc.moveDown(0.6);
    doc.font('serif').fontSize(FONT_SIZE.body);
    return this;
  }

  /** A two-column form (label | value), used by the registration form. */
  form(rows: Array<[label: string, value: string | null | undefined]>): this {
    return this.table(
      [
        { header: '项目', width: 1.1 },
        { header: '内容', width: 3.9 },
      ],
      rows.map(([label, value]) => [label, value && value.trim() ? value : '']),
      { fontSize: FONT_SIZE.table + 0.5 },
    );
  }

  /** Places to sign: "label（签名或盖章）：________  日期：____年__月__日". */
  signatureLines(lines: Array<{ label: string; date?: string }>): this {
    this.ensureSpace(lines.length * 30 + 10);
    this.doc.moveDown(0.5);
    for (const line of lines) {
      const y = this.doc.y;
      this.doc.font('serif').fontSize(FONT_SIZE.body).text(`${line.label}：`, PAGE.left, y, { width: this.width * 0.55 });
      const lineStart = PAGE.left + this.doc.widthOfString(`${line.label}：`) + 4;
      const lineEnd = PAGE.left + this.width * 0.62;
      this.doc.lineWidth(0.6).moveTo(lineStart, y + FONT_SIZE.body + 2).lineTo(Math.max(lineEnd, lineStart + 60), y + FONT_SIZE.body + 2).stroke();
      this.doc.text(line.date ?? '　　　年　　月　　日', PAGE.left + this.width * 0.64, y, { width: this.width * 0.36, align: 'right' });
      this.doc.x = PAGE.left;
      this.doc.y = y + 30;
    }
    return this;
  }

  /** The issuing organisation, its seal's place (a dashed circle) and the date, at the right. */
  issuer(organisation: string, date: string, sealLabel = '（盖章）'): this {
    this.ensureSpace(100);
    this.doc.moveDown(0.5);
    const y = this.doc.y;
    const right = PAGE.left + this.width;
    const cx = right - 70;
    const cy = y + 40;
    this.doc.save().lineWidth(0.8).strokeColor('#b00000').dash(3, { space: 3 }).circle(cx, cy, 42).stroke().undash().restore();
    this.doc.fillColor('#b00000').font('serif').fontSize(FONT_SIZE.small).text(sealLabel, cx - 40, cy - 30, { width: 80, align: 'center' });
    this.doc.fillColor('#000000').font('serif').fontSize(FONT_SIZE.body);
    this.doc.text(organisation, PAGE.left, y + 20, { width: this.width - 10, align: 'right' });
    this.doc.text(date, PAGE.left, this.doc.y + 4, { width: this.width - 10, align: 'right' });
    this.doc.x = PAGE.left;
    this.doc.y = Math.max(this.doc.y, cy + 46);
    return this;
  }

  /** Page numbers "— n —" centred at the foot of every page, then the finished file. */
  async finish(): Promise<Buffer> {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const y = this.doc.page.height - PAGE.bottom + mm(7);
      // Writing below the bottom margin would open a new page: lift the margin while writing the footer.
      const margin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      this.doc.font('serif').fontSize(FONT_SIZE.small + 1).fillColor('#000000').text(`— ${i + 1 - range.start} —`, PAGE.left, y, { width: this.width, align: 'center', lineBreak: false });
      this.doc.page.margins.bottom = margin;
    }
    this.doc.end();
    const pdf = await this.finished;
    documentFinished();
    return pdf;
  }
}
