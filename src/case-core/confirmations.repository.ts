import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConfirmationStatus, DisputeType } from '../common/case-codes';
import { Confirmation } from './confirmation.entity';

/** Which requests the clerk's queue shows. */
export interface ConfirmationQueueFilter {
  /** undefined: nothing visible; null: every workstation. */
  scope: string | null | undefined;
  /** A mediator sees the requests of their own cases only. */
  mediatorId?: string;
  status?: ConfirmationStatus;
}

/** A request of the queue with what the clerk needs of its case and agreement. */
export interface ConfirmationQueueItem {
  confirmation: Confirmation;
  caseNumber: string;
  applicantName: string;
  respondentName: string;
  disputeType: DisputeType;
  agreedAmount: string;
  agreementEffectiveAt: Date;
}

interface QueueRow {
  id: string;
  case_id: string;
  workstation_id: string;
  status: ConfirmationStatus;
  applied_at: Date;
  requested_by: string | null;
  court: string | null;
  applicants: Confirmation['applicants'];
  acceptance_due_at: Date | null;
  accepted_at: Date | null;
  acceptance_number: string | null;
  accepted_by: string | null;
  declined_at: Date | null;
  ruling_due_at: Date | null;
  ruling_extended_at: Date | null;
  ruling_extension_reason: string | null;
  ruled_at: Date | null;
  ruling_number: string | null;
  reason: string | null;
  ruled_by: string | null;
  superseded_at: Date | null;
  created_at: Date;
  case_number: string;
  applicant_name: string;
  respondent_name: string;
  dispute_type: DisputeType;
  agreed_amount: string;
  effective_at: Date;
}

const confirmationOf = (r: QueueRow): Confirmation => ({
  id: r.id,
  caseId: r.case_id,
  workstationId: r.workstation_id,
  status: r.status,
  appliedAt: r.applied_at,
  requestedBy: r.requested_by,
  court: r.court,
  applicants: r.applicants,
  acceptanceDueAt: r.acceptance_due_at,
  acceptedAt: r.accepted_at,
  acceptanceNumber: r.acceptance_number,
  acceptedBy: r.accepted_by,
  declinedAt: r.declined_at,
  rulingDueAt: r.ruling_due_at,
  rulingExtendedAt: r.ruling_extended_at,
  rulingExtensionReason: r.ruling_extension_reason,
  ruledAt: r.ruled_at,
  rulingNumber: r.ruling_number,
  reason: r.reason,
  ruledBy: r.ruled_by,
  supersededAt: r.superseded_at,
  createdAt: r.created_at,
});

/** The SQL of the requests for judicial confirmation. */
@Injectable()
export class ConfirmationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  insert(em: EntityManager, values: Omit<Confirmation, 'id' | 'ruledAt' | 'rulingNumber' | 'reason' | 'ruledBy' | 'acceptedAt' | 'acceptanceNumber' | 'acceptedBy' | 'declinedAt' | 'rulingDueAt' | 'rulingExtendedAt' | 'rulingExtensionReason'> & Partial<Confirmation>): Promise<Confirmation> {
    return em.save(Confirmation, em.create(Confirmation, values));
  }

  save(em: EntityManager, confirmation: Confirmation): Promise<Confirmation> {
    return em.save(Confirmation, confirmation);
  }

  findById(em: EntityManager, id: string): Promise<Confirmation | null> {
    return em.findOne(Confirmation, { where: { id } });
  }

  /** The id of the case's request in force, null when there is none. */
  async currentIdOfCase(caseId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM confirmations WHERE case_id = $1 AND superseded_at IS NULL`, [caseId]);
    return rows[0]?.id ?? null;
  }

  /** A renegotiation replaces the case's request in force: it is kept, marked superseded. Returns its id, null when there was none. */
  async supersedeCurrent(em: EntityManager, caseId: string, now: Date): Promise<string | null> {
    // An UPDATE answers [rows, row count] through TypeORM's query().
    const [rows]: [Array<{ id: string }>, number] = await em.query(`UPDATE confirmations SET superseded_at = $2 WHERE case_id = $1 AND superseded_at IS NULL RETURNING id`, [caseId, now]);
    return rows[0]?.id ?? null;
  }

  /** The clerk's queue: pending and accepted requests oldest first (they wait for the court), decided ones newest first. */
  async queue(f: ConfirmationQueueFilter, page: number, pageSize: number): Promise<{ items: ConfirmationQueueItem[]; total: number }> {
    const params: unknown[] = [];
    const conditions: string[] = ['f.superseded_at IS NULL'];
    const bind = (v: unknown) => (params.push(v), `$${params.length}`);
    if (f.scope === undefined) conditions.push('false');
    else if (f.scope !== null) conditions.push(`f.workstation_id = ${bind(f.scope)}`);
    if (f.mediatorId) conditions.push(`c.mediator_id = ${bind(f.mediatorId)}`);
    if (f.status) conditions.push(`f.status = ${bind(f.status)}`);
    const where = conditions.join(' AND ');
    const order = f.status === 'pending' || f.status === 'accepted' ? 'f.applied_at ASC, f.id ASC' : 'coalesce(f.ruled_at, f.declined_at, f.accepted_at, f.applied_at) DESC, f.id DESC';
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT f.*, c.case_number, c.applicant_name, c.respondent_name, c.dispute_type, a.agreed_amount, a.effective_at
           FROM confirmations f JOIN cases c ON c.id = f.case_id JOIN agreements a ON a.case_id = f.case_id AND a.superseded_at IS NULL
          WHERE ${where} ORDER BY ${order} LIMIT ${bind(pageSize)} OFFSET ${bind((page - 1) * pageSize)}`,
        params,
      ) as Promise<QueueRow[]>,
      this.db.query(`SELECT count(*)::int AS total FROM confirmations f JOIN cases c ON c.id = f.case_id WHERE ${where}`, params.slice(0, params.length - 2)) as Promise<Array<{ total: number }>>,
    ]);
    const items = rows.map((r) => ({
      confirmation: confirmationOf(r),
      caseNumber: r.case_number,
      applicantName: r.applicant_name,
      respondentName: r.respondent_name,
      disputeType: r.dispute_type,
      agreedAmount: r.agreed_amount,
      agreementEffectiveAt: r.effective_at,
    }));
    return { items, total };
  }
}
