import { Injectable } from '@nestjs/common';
import { escapeLiteral } from 'pg';
import { AuthUser } from '../accounts-core/auth-user';
import { maskIdNumberSql } from '../accounts-core/scope';
import { buildCaseFilter } from '../cases/case-query';
import { CaseFilterQuery } from '../cases/dto/list-cases.query';
import { InteractiveRequests } from '../heavy-reads/interactive-requests';
import { CASE_SOURCE_LABELS, CASE_STATUS_LABELS, CONFIRMATION_STATUS_LABELS, DISPUTE_TYPE_LABELS } from '../labels/labels';
import { CaseExportRepository, exportSelect, ExportRow } from './case-export.repository';
import { CSV_BOM, csvLine, csvText, sqlCsvPlain, sqlCsvText, sqlCsvVerbatim, sqlCsvVerbatimNumeric } from './csv';

/**
 * Rows of the first query; each next batch is twice as large, up to EXPORT_MAX_BATCH_SIZE: the
 * first bytes go out soon, and a large export makes few round trips. The export never holds more than
 * one batch in memory (2,000 rows: about a megabyte of rows and their text).
 */
export const EXPORT_BATCH_SIZE = 500;
export const EXPORT_MAX_BATCH_SIZE = 2000;

export type { ExportRow } from './case-export.repository';

/** `CASE expr WHEN code THEN label ... ELSE expr END`: a code's Chinese label from src/labels, the code itself if it has none. */
function sqlLabel(expr: string, labels: Record<string, string>): string {
  const whens = Object.entries(labels).map(([code, zh]) => `WHEN ${escapeLiteral(code)} THEN ${escapeLiteral(zh)}`);
  return `CASE ${expr}::text ${whens.join(' ')} ELSE ${expr}::text END`;
}

/**
 * The CSV's columns: header and cell as SQL over the export's row `r` (exportSelect), with the
 * rules of src/stats/csv.ts (sqlCsv*: csvText, csvVerbatim, csvPlain) and of src/auth/scope.ts
 * (identity numbers always masked in exports).
 */
export const CSV_COLUMNS: Array<[header: string, cell: string]> = [
  ['案件编号', sqlCsvVerbatim('r.case_number')],
  ['工作室', sqlCsvText('r.workstation_name')],
  ['案件来源', sqlCsvText('r.source_label')],
  ['法院案号', sqlCsvVerbatim('r.court_case_number')],
  ['纠纷类型', sqlCsvText('r.dispute_type_label')],
  ['案件状态', sqlCsvText('r.status_label')],
  ['申请人', sqlCsvText('r.applicant_name')],
  ['申请人身份证号', sqlCsvText('r.applicant_id_masked')],
  ['被申请人', sqlCsvText('r.respondent_name')],
  ['统一社会信用代码', sqlCsvVerbatim('r.respondent_credit_code')],
  ['涉及人数', sqlCsvPlain('r.worker_count::text')],
  ['请求金额（元）', sqlCsvVerbatimNumeric('r.claim_amount')],
  ['调解员', sqlCsvText('r.mediator_name')],
  ['收案时间', sqlCsvPlain('r.received_at')],
  ['调解期限', sqlCsvPlain('r.deadline_date')],
  ['是否超期', `CASE WHEN r.overdue THEN '是' ELSE '否' END`],
  ['结案时间', sqlCsvPlain('r.concluded_at')],
  ['协议金额（元）', sqlCsvVerbatimNumeric('r.agreed_amount')],
  ['司法确认', sqlCsvText('r.confirmation_label')],
  ['司法确认文书号', sqlCsvText('r.ruling_number')],
  ['案情摘要', sqlCsvText('r.summary')],
];

/** The values the cells are made of, computed once a row (a cell's SQL reads its value up to three times). */
const CSV_VALUES: Array<[name: string, sql: string]> = [
  ['source_label', sqlLabel('e.source', CASE_SOURCE_LABELS)],
  ['dispute_type_label', sqlLabel('e.dispute_type', DISPUTE_TYPE_LABELS)],
  ['status_label', sqlLabel('e.status', CASE_STATUS_LABELS)],
  ['applicant_id_masked', maskIdNumberSql('e.applicant_id_number')],
  ['confirmation_label', sqlLabel('e.confirmation_status', CONFIRMATION_STATUS_LABELS)],
];

/**
 * The export's SELECT with every cell finished for COPY ... WITH (FORMAT csv), in exportSelect's
 * order (a projection of an ordered subquery keeps its order). OFFSET 0 keeps the middle query
 * from being merged into the outer one, which would compute CSV_VALUES once per use.
 */
export function csvExportSelect(where: string): string {
  return `SELECT ${CSV_COLUMNS.map(([, cell]) => cell).join(',\n  ')}
FROM (SELECT e.*, ${CSV_VALUES.map(([name, sql]) => `${sql} AS ${name}`).join(',\n  ')} FROM (${exportSelect(where)}) e OFFSET 0) r`;
}

/** Bytes of CSV gathered for one write to the response. */
export const CSV_WRITE_SIZE = 256 * 1024;

/**
 * The longest a CSV export pauses between two writes for the interactive requests in flight to end
 * (InteractiveRequests.whenIdle): under constant traffic it still moves, at a fraction of its speed.
 */
export const EXPORT_YIELD_MAX_MS = 50;

const CSV_HEADER = Buffer.from(CSV_BOM + csvLine(CSV_COLUMNS.map(([title]) => csvText(title))), 'utf8');

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The bytes of the response gathered into writes of `size`: each byte of COPY's output is copied
 * once, into the write it goes out with. (A converted copy of each chunk, then a concatenation of
 * the copies, allocated three times the CSV's size in short-lived Buffers, which the garbage
 * collector frees late: tens of MB of resident memory during an export.)
 */
export class WriteBatches {
  private current: Buffer;
  private used = 0;
  private readonly full: Buffer[] = [];

  constructor(private readonly size: number) {
    this.current = Buffer.allocUnsafe(size);
  }

  append(source: Buffer, start = 0, end = source.length): void {
    while (start < end) {
      const copied = source.copy(this.current, this.used, start, end);
      this.used += copied;
      start += copied;
      if (this.used === this.size) this.startNext();
    }
  }

  appendByte(byte: number): void {
    this.current[this.used++] = byte;
    if (this.used === this.size) this.startNext();
  }

  /** The writes filled so far. */
  takeFull(): Buffer[] {
    return this.full.splice(0);
  }

  /** The writes filled so far and what the current one holds. */
  takeAll(): Buffer[] {
    if (this.used) {
      this.full.push(this.current.subarray(0, this.used));
      this.current = Buffer.allocUnsafe(this.size);
      this.used = 0;
    }
    return this.takeFull();
  }

  private startNext(): void {
    this.full.push(this.current);
    this.current = Buffer.allocUnsafe(this.size);
    this.used = 0;
  }
}

/**
 * COPY's LF record ends as CRLF (csv.ts's CSV_LINE_END, which Excel and the e2e tests expect; COPY
 * cannot write it). A line break inside a quoted cell stays as it is: an LF ends a record only after
 * an even number of quotes (every quote of COPY's CSV opens, closes or doubles). Byte scans with
 * indexOf: UTF-8 never has these bytes inside a multi-byte character.
 */
export class CrlfRecords {
  private inQuotes = false;

  /** Appends `chunk` to `out` with its record ends turned into CRLF. */
  convertInto(chunk: Buffer, out: WriteBatches): void {
    let quote = chunk.indexOf(QUOTE);
    let lf = chunk.indexOf(LF);
    let inQuotes = this.inQuotes;
    let from = 0;
    while (lf !== -1) {
      if (quote !== -1 && quote < lf) {
        inQuotes = !inQuotes;
        quote = chunk.indexOf(QUOTE, quote + 1);
        continue;
      }
      if (!inQuotes) {
        out.append(chunk, from, lf);
        out.appendByte(CR);
        from = lf;
      }
      lf = chunk.indexOf(LF, lf + 1);
    }
    for (; quote !== -1; quote = chunk.indexOf(QUOTE, quote + 1)) inQuotes = !inQuotes;
    this.inQuotes = inQuotes;
    out.append(chunk, from);
  }
}

/**
 * The case list as CSV, with the list's filters and scope (buildCaseFilter), newest first, written
 * whole by PostgreSQL (COPY of csvExportSelect) and streamed to the client with only the line ends
 * changed, in constant memory. The .xlsx reads the rows in growing batches from one cursor
 * (CaseExportRepository.batches). Identity numbers are always masked in exports.
 */
@Injectable()
export class CaseExportService {
  constructor(
    private readonly cases: CaseExportRepository,
    private readonly interactive: InteractiveRequests,
  ) {}

  /**
   * Yields to the other users' requests (issue 17, bench `burst`): one that starts while they are
   * working reads in key-range chunks without parallel workers (copyCsvChunks) and pauses between
   * two chunks while any is in flight, up to EXPORT_YIELD_MAX_MS each time, with its backend idle.
   * Alone, it runs at full speed: one COPY, and between its writes the same pauses (then its COPY's
   * socket fills and its backend waits).
   */
  async *csv(user: AuthUser, filter: CaseFilterQuery): AsyncGenerator<Buffer> {
    const records = new CrlfRecords();
    const out = new WriteBatches(CSV_WRITE_SIZE);
    // The header goes out with the first rows, so that a failing COPY fails before anything is sent.
    out.append(CSV_HEADER);
    const serial = this.interactive.recentlyBusy();
    const lines = this.cases.csvLines(buildCaseFilter(user, filter, 'c'), csvExportSelect, { serial });
    for await (const chunk of lines) {
      if (!chunk.length) {
        // The end of a serial export's chunk: nothing runs on the server until the next is asked for,
        // so waiting here leaves PostgreSQL's core and this event loop to the requests in flight.
        yield* out.takeAll();
        const idle = this.interactive.whenIdle(EXPORT_YIELD_MAX_MS);
        if (idle) await idle;
        continue;
      }
      records.convertInto(chunk, out);
      // Few large writes to the response: a write of COPY's small chunks each would wait for the socket in turn.
      const full = out.takeFull();
      if (full.length) {
        yield* full;
        if (!serial) {
          const idle = this.interactive.whenIdle(EXPORT_YIELD_MAX_MS);
          if (idle) await idle;
        }
      }
    }
    yield* out.takeAll();
  }

  /** The rows of the export, a batch at a time (the last batch may be empty). */
  rowBatches(user: AuthUser, filter: CaseFilterQuery, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<ExportRow[]> {
    return this.cases.batches(buildCaseFilter(user, filter, 'c'), batchSize, Math.max(batchSize, EXPORT_MAX_BATCH_SIZE));
  }
}
