import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { maskIdNumber } from '../auth/scope';
import { buildCaseFilter } from '../cases/case-query';
import { CaseSource, CaseStatus, DisputeType } from '../case-core/case-lifecycle';
import { CaseFilterQuery } from '../cases/dto/list-cases.query';
import { CASE_SOURCE_LABELS, CASE_STATUS_LABELS, CONFIRMATION_STATUS_LABELS, DISPUTE_TYPE_LABELS } from '../labels/labels';
import { CSV_BOM, csvLine, csvPlain, csvText, csvVerbatim } from './csv';

/** Rows fetched per query; the export never holds more than one batch in memory. */
export const EXPORT_BATCH_SIZE = 500;

export interface ExportRow {
  id: string;
  case_number: string;
  workstation_name: string;
  source: CaseSource;
  court_case_number: string | null;
  dispute_type: DisputeType;
  status: CaseStatus;
  applicant_name: string;
  applicant_id_number: string | null;
  respondent_name: string;
  respondent_credit_code: string | null;
  worker_count: number;
  claim_amount: string;
  mediator_name: string | null;
  received_at: string;
  /** The last day of the mediation period (24:00 of day N is stored as 00:00 of day N+1: shown as day N). */
  deadline_date: string;
  overdue: boolean;
  concluded_at: string | null;
  agreed_amount: string | null;
  confirmation_status: string | null;
  ruling_number: string | null;
  summary: string;
  /** received_at as PostgreSQL prints it (microseconds kept): the keyset cursor. */
  cursor_at: string;
}

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

const shanghaiMinute = (column: string) => `to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;
/** The calendar day a period ending at `column` ends on: 00:00 of day N+1 (24:00 of day N) is day N. */
const lastShanghaiDay = (column: string) => `to_char((${column} - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

/**
 * The case list as CSV, with the list's filters and scope (buildCaseFilter), newest first. Read in
 * batches by keyset pagination on (received_at, id), the list's index order, so that a large
 * export streams in constant memory and holds no connection between batches. Identity numbers
 * are always masked in exports.
 */
@Injectable()
export class CaseExportService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async *csv(user: AuthUser, filter: CaseFilterQuery, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<string> {
    // The header goes out with the first batch, so that the first read fails before anything is sent.
    let header: string | null = CSV_BOM + csvLine(CSV_COLUMNS.map(([title]) => csvText(title)));
    for await (const rows of this.rowBatches(user, filter, batchSize)) {
      yield (header ?? '') + rows.map((r) => csvLine(CSV_COLUMNS.map(([, cell]) => cell(r)))).join('');
      header = null;
    }
  }

  /** The rows of the export, a batch at a time (the last batch may be empty). */
  async *rowBatches(user: AuthUser, filter: CaseFilterQuery, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<ExportRow[]> {
    const { where, params } = buildCaseFilter(user, filter, 'c');
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const batchParams: unknown[] = [...params];
      let keyset = '';
      if (after) {
        batchParams.push(after.at, after.id);
        keyset = ` AND (c.received_at, c.id) < ($${batchParams.length - 1}::timestamptz, $${batchParams.length}::uuid)`;
      }
      batchParams.push(batchSize);
      const rows: ExportRow[] = await this.db.query(
        `SELECT c.id, c.case_number, w.name AS workstation_name, c.source, c.court_case_number, c.dispute_type, c.status,
                c.applicant_name, c.applicant_id_number, c.respondent_name, c.respondent_credit_code, c.worker_count,
                c.claim_amount::text AS claim_amount, u.display_name AS mediator_name,
                ${shanghaiMinute('c.received_at')} AS received_at, ${lastShanghaiDay('c.deadline_at')} AS deadline_date, c.overdue,
                ${shanghaiMinute('c.concluded_at')} AS concluded_at, a.agreed_amount::text AS agreed_amount,
                k.status AS confirmation_status, k.ruling_number, c.summary, c.received_at::text AS cursor_at
         FROM cases c
         JOIN workstations w ON w.id = c.workstation_id
         LEFT JOIN users u ON u.id = c.mediator_id
         LEFT JOIN agreements a ON a.case_id = c.id AND a.superseded_at IS NULL
         LEFT JOIN confirmations k ON k.case_id = c.id AND k.superseded_at IS NULL
         WHERE ${where}${keyset}
         ORDER BY c.received_at DESC, c.id DESC
         LIMIT $${batchParams.length}`,
        batchParams,
      );
      yield rows;
      if (rows.length < batchSize) return;
      const last = rows[rows.length - 1];
      after = { at: last.cursor_at, id: last.id };
    }
  }
}
