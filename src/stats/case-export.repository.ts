import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaseSource, CaseStatus, DisputeType } from '../cases/case-lifecycle';
import type { SqlWhere } from '../cases/case-query';

/** A case as the exports write it. */
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

const shanghaiMinute = (column: string) => `to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`;
/** The calendar day a period ending at `column` ends on: 00:00 of day N+1 (24:00 of day N) is day N. */
const lastShanghaiDay = (column: string) => `to_char((${column} - interval '1 microsecond') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

/** The export's rows over the list's WHERE (cases c), newest first; also what the bench's COPY floor reads. */
export function exportSelect(where: string): string {
  return `SELECT c.id, c.case_number, w.name AS workstation_name, c.source, c.court_case_number, c.dispute_type, c.status,
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
     WHERE ${where}
     ORDER BY c.received_at DESC, c.id DESC`;
}

/** Where a batch starts: after the last row of the one before (newest first). */
export interface ExportCursor {
  at: string;
  id: string;
}

/** The export's reads: the rows of a filtered case list, a batch at a time. */
@Injectable()
export class CaseExportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Up to `limit` rows matching `filter` (the case list's WHERE over cases c), newest first
   * (received_at, id), after `after`: keyset pagination in the list's index order.
   */
  async batch(filter: SqlWhere, after: ExportCursor | null, limit: number): Promise<ExportRow[]> {
    const params: unknown[] = [...filter.params];
    let keyset = '';
    if (after) {
      params.push(after.at, after.id);
      keyset = ` AND (c.received_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(limit);
    return this.db.query(`${exportSelect(`${filter.where}${keyset}`)} LIMIT $${params.length}`, params);
  }
}
