import type ExcelJS from 'exceljs';
import { once } from 'node:events';
import { Readable, Transform, TransformCallback, Writable } from 'node:stream';
import { maskIdNumber } from '../accounts-core/scope';
import { CASE_SOURCE_LABELS, CASE_STATUS_LABELS, CONFIRMATION_STATUS_LABELS, DISPUTE_TYPE_LABELS } from '../labels/labels';
import type { ExportRow } from './case-export.service';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const AMOUNT_FORMAT = '#,##0.00';
const TEXT_FORMAT = '@';
const MINUTE_FORMAT = 'yyyy-mm-dd hh:mm';
const DAY_FORMAT = 'yyyy-mm-dd';

type XlsxValue = string | number | Date | null;

interface XlsxColumn {
  header: string;
  /** Width in characters (a Chinese character counts two). */
  width: number;
  numFmt: string;
  value(r: ExportRow): XlsxValue;
}

/**
 * A Shanghai wall-clock text ('YYYY-MM-DD' or 'YYYY-MM-DD HH:MI') as the Date Excel shows as that
 * time: Excel has no time zones, and exceljs writes a Date's UTC fields.
 */
export function excelLocalTime(text: string | null): Date | null {
  if (!text) return null;
  const [date, time = '00:00'] = text.split(' ');
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return new Date(Date.UTC(y, m - 1, d, hh, mm));
}

const amount = (v: string | null): number | null => (v === null ? null : Number(v));

/**
 * The case ledger's columns as .xlsx cells: the CSV's Chinese headers, amounts as numbers shown
 * with two decimals, case numbers, codes and (masked) identity numbers as text, times and days
 * as dates. Strings in a worksheet are never evaluated, so no formula guard is needed here.
 */
export const XLSX_COLUMNS: XlsxColumn[] = [
  { header: '案件编号', width: 20, numFmt: TEXT_FORMAT, value: (r) => r.case_number },
  { header: '工作室', width: 30, numFmt: TEXT_FORMAT, value: (r) => r.workstation_name },
  { header: '案件来源', width: 10, numFmt: TEXT_FORMAT, value: (r) => CASE_SOURCE_LABELS[r.source] ?? r.source },
  { header: '法院案号', width: 24, numFmt: TEXT_FORMAT, value: (r) => r.court_case_number },
  { header: '纠纷类型', width: 14, numFmt: TEXT_FORMAT, value: (r) => DISPUTE_TYPE_LABELS[r.dispute_type] ?? r.dispute_type },
  { header: '案件状态', width: 16, numFmt: TEXT_FORMAT, value: (r) => CASE_STATUS_LABELS[r.status] ?? r.status },
  { header: '申请人', width: 14, numFmt: TEXT_FORMAT, value: (r) => r.applicant_name },
  { header: '申请人身份证号', width: 21, numFmt: TEXT_FORMAT, value: (r) => maskIdNumber(r.applicant_id_number) },
  { header: '被申请人', width: 28, numFmt: TEXT_FORMAT, value: (r) => r.respondent_name },
  { header: '统一社会信用代码', width: 21, numFmt: TEXT_FORMAT, value: (r) => r.respondent_credit_code },
  { header: '涉及人数', width: 9, numFmt: '0', value: (r) => r.worker_count },
  { header: '请求金额（元）', width: 15, numFmt: AMOUNT_FORMAT, value: (r) => amount(r.claim_amount) },
  { header: '调解员', width: 12, numFmt: TEXT_FORMAT, value: (r) => r.mediator_name },
  { header: '收案时间', width: 17, numFmt: MINUTE_FORMAT, value: (r) => excelLocalTime(r.received_at) },
  { header: '调解期限', width: 12, numFmt: DAY_FORMAT, value: (r) => excelLocalTime(r.deadline_date) },
  { header: '是否超期', width: 9, numFmt: TEXT_FORMAT, value: (r) => (r.overdue ? '是' : '否') },
  { header: '结案时间', width: 17, numFmt: MINUTE_FORMAT, value: (r) => excelLocalTime(r.concluded_at) },
  { header: '协议金额（元）', width: 15, numFmt: AMOUNT_FORMAT, value: (r) => amount(r.agreed_amount) },
  {
    header: '司法确认',
    width: 10,
    numFmt: TEXT_FORMAT,
    value: (r) => (r.confirmation_status ? (CONFIRMATION_STATUS_LABELS[r.confirmation_status] ?? r.confirmation_status) : null),
  },
  { header: '司法确认文书号', width: 24, numFmt: TEXT_FORMAT, value: (r) => r.ruling_number },
  { header: '案情摘要', width: 50, numFmt: TEXT_FORMAT, value: (r) => r.summary },
];

/** Bytes of a worksheet's XML gathered into one chunk for the zip: few large deflate calls, not one a row. */
const PART_CHUNK = 64 * 1024;
/** Bytes of XML a worksheet part may hold before the writer waits for the zip and the response to take them. */
const PART_HIGH_WATER_MARK = 256 * 1024;

/** The chunks exceljs writes to a part: text, or its reused StringBuf (whose bytes are copied at once). */
type PartChunk = string | Buffer | { toBuffer(): Buffer };

function partBytes(chunk: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (Buffer.isBuffer(chunk)) return chunk;
  const text = chunk as Exclude<PartChunk, string | Buffer>;
  if (typeof text?.toBuffer === 'function') return Buffer.from(text.toBuffer());
  throw new TypeError('xlsx part: exceljs wrote a chunk that is neither text nor a buffer');
}

/**
 * A part of the workbook (a worksheet's XML) on its way into the zip, with Node's backpressure:
 * exceljs's own part stream (StreamBuf) hands every chunk to the zip at once whatever the zip and
 * the response can take, so a slow client let the whole sheet pile up in memory.
 */
class XlsxPartStream extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor() {
    super({ writableHighWaterMark: PART_HIGH_WATER_MARK, readableHighWaterMark: PART_CHUNK });
  }

  // exceljs's StringBuf is reset and reused after each write: its bytes are taken before write returns.
  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const bytes = partBytes(chunk);
    if (typeof encoding === 'function') return super.write(bytes, encoding as (error: Error | null | undefined) => void);
    return super.write(bytes, callback as ((error: Error | null | undefined) => void) | undefined);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= PART_CHUNK) this.pushPending();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.pushPending();
    callback();
  }

  private pushPending(): void {
    if (!this.pendingBytes) return;
    this.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** What exceljs 4's streaming WorkbookWriter (lib/stream/xlsx/workbook-writer.js) gives the class below to build on. */
interface WorkbookWriterInternals {
  zip: { append(source: Readable, data: { name: string }): void };
}

/**
 * exceljs's streaming workbook whose parts (the worksheet's XML) are XlsxPartStreams: rows go into
 * the zip, and the zip into the response, only as fast as the response is read.
 */
interface BackpressuredWorkbookWriter extends ExcelJS.stream.xlsx.WorkbookWriter {
  /** A part over its high-water mark, if any: the writer waits for its 'drain' before adding rows. */
  fullPart(): XlsxPartStream | undefined;
}

let backpressuredWriterClass: (new (options: Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>) => BackpressuredWorkbookWriter) | undefined;

/** The class, made when the first export needs it: exceljs (some 30 MB resident) loads then, not with the app. */
async function backpressuredWorkbookWriter(options: Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>): Promise<BackpressuredWorkbookWriter> {
  backpressuredWriterClass ??= backpressuredWriterOf((await import('exceljs')).default);
  return new backpressuredWriterClass(options);
}

function backpressuredWriterOf(excel: typeof ExcelJS) {
  return class extends excel.stream.xlsx.WorkbookWriter implements BackpressuredWorkbookWriter {
    private readonly parts: XlsxPartStream[] = [];

    /** Replaces exceljs's _openStream (same contract: appended to the zip, 'zipped' once ended and read). */
    _openStream(path: string): XlsxPartStream {
      const part = new XlsxPartStream();
      (this as unknown as WorkbookWriterInternals).zip.append(part, { name: path });
      part.on('end', () => part.emit('zipped'));
      this.parts.push(part);
      return part;
    }

    /** A part over its high-water mark, if any: the writer waits for its 'drain' before adding rows. */
    fullPart(): XlsxPartStream | undefined {
      return this.parts.find((p) => p.writableNeedDrain);
    }
  };
}

/**
 * Writes the ledger as .xlsx to `out` with exceljs's streaming writer: each row is committed
 * (written to the zip) as it is added, and the next row (and the next batch from the database)
 * waits while the worksheet's XML is over its high-water mark, so memory stays flat however many
 * batches come and however slowly `out` is read. Rejects if `out` closes before the end.
 */
export async function writeCaseLedgerXlsx(out: Writable, batches: AsyncIterable<ExportRow[]>): Promise<void> {
  const workbook = await backpressuredWorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const gone = new AbortController();
  const onClose = () => {
    if (!out.writableFinished) gone.abort(new Error('xlsx export: the response closed before the end'));
  };
  out.once('close', onClose);
  try {
    workbook.creator = 'mediation-tracker';
    const sheet = workbook.addWorksheet('案件台账', {
      views: [{ state: 'frozen', ySplit: 1 }],
      // Printed on A4 landscape, all columns across one page, the header row on every page.
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
    });
    sheet.columns = XLSX_COLUMNS.map((c, i) => ({ header: c.header, key: String(i), width: c.width, style: { numFmt: c.numFmt } }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', horizontal: 'center' };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
    });
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: XLSX_COLUMNS.length } };
    header.commit();
    for await (const rows of batches) {
      for (const r of rows) {
        sheet.addRow(XLSX_COLUMNS.map((c) => c.value(r))).commit();
        const full = workbook.fullPart();
        if (full) await once(full, 'drain', { signal: gone.signal }).catch((e: unknown) => Promise.reject(gone.signal.aborted ? gone.signal.reason : e));
      }
    }
    sheet.commit();
    await workbook.commit();
  } finally {
    out.off('close', onClose);
  }
}

export type { XlsxValue };
