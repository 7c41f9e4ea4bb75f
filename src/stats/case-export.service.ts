import { Injectable } from '@nestjs/common';
import { AuthUser } from '../accounts-core/auth-user';
import { maskIdNumber } from '../accounts-core/scope';
import { buildCaseFilter } from '../cases/case-query';
import { CaseFilterQuery } from '../cases/dto/list-cases.query';
import { CASE_SOURCE_LABELS, CASE_STATUS_LABELS, CONFIRMATION_STATUS_LABELS, DISPUTE_TYPE_LABELS } from '../labels/labels';
import { CaseExportRepository, ExportRow } from './case-export.repository';
import { CSV_BOM, csvLine, CSV_LINE_END, csvPlain, csvText, csvVerbatim } from './csv';

/**
 * Rows of the first query; each next batch is twice as large, up to EXPORT_MAX_BATCH_SIZE: the
 * first bytes go out soon, and a large export makes few round trips. The export never holds more than
 * one batch in memory (2,000 rows: about a megabyte of rows and their text).
 */
export const EXPORT_BATCH_SIZE = 500;
export const EXPORT_MAX_BATCH_SIZE = 2000;

export type { ExportRow } from './case-export.repository';

export const CSV_COLUMNS: Array<[header: string, cell: (r: ExportRow) => string]> = [
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

const CELLS = CSV_COLUMNS.map(([, cell]) => cell);

/** One CSV line of a row (the hot loop of a large export: no intermediate array). */
function csvRow(r: ExportRow): string {
  let line = CELLS[0](r);
  for (let i = 1; i < CELLS.length; i++) line += ',' + CELLS[i](r);
  return line + CSV_LINE_END;
}

/**
 * The case list as CSV, with the list's filters and scope (buildCaseFilter), newest first. Read in
 * growing batches from one cursor (CaseExportRepository.batches), so that a large export streams
 * in constant memory at close to the speed of COPY. Identity numbers are always masked in exports.
 */
@Injectable()
export class CaseExportService {
  constructor(private readonly cases: CaseExportRepository) {}

  async *csv(user: AuthUser, filter: CaseFilterQuery, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<string> {
    // The header goes out with the first batch, so that the first read fails before anything is sent.
    let header: string | null = CSV_BOM + csvLine(CSV_COLUMNS.map(([title]) => csvText(title)));
    for await (const rows of this.rowBatches(user, filter, batchSize)) {
      let chunk = header ?? '';
      for (const r of rows) chunk += csvRow(r);
      yield chunk;
      header = null;
    }
  }

  /** The rows of the export, a batch at a time (the last batch may be empty). */
  rowBatches(user: AuthUser, filter: CaseFilterQuery, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<ExportRow[]> {
    return this.cases.batches(buildCaseFilter(user, filter, 'c'), batchSize, Math.max(batchSize, EXPORT_MAX_BATCH_SIZE));
  }
}
