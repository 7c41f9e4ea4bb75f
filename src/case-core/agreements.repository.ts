import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Agreement, Installment } from './agreement.entity';

/** The SQL of the agreements and their installments. */
@Injectable()
export class AgreementsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The agreement and its payment plan, in the caller's transaction. */
  async insert(em: EntityManager, values: Omit<Agreement, 'id'>, plan: Array<Pick<Installment, 'dueDate' | 'amount'>>): Promise<{ agreement: Agreement; installments: Installment[] }> {
    const agreement = await em.save(Agreement, em.create(Agreement, values));
    const installments = plan.map((i, idx) => em.create(Installment, { agreementId: agreement.id, seq: idx + 1, dueDate: i.dueDate, amount: i.amount, paidAt: null }));
    if (installments.length) await em.insert(Installment, installments);
    return { agreement, installments };
  }

  findById(id: string, em: EntityManager = this.db.manager): Promise<Agreement | null> {
    return em.findOne(Agreement, { where: { id } });
  }

  /** The agreement of the case in force (not superseded by a renegotiation); throws when there is none. */
  findCurrentOfCase(em: EntityManager, caseId: string): Promise<Agreement> {
    return em.findOneOrFail(Agreement, { where: { caseId, supersededAt: IsNull() } });
  }

  /** The agreement with its installments. */
  async withInstallments(id: string, em: EntityManager = this.db.manager): Promise<{ agreement: Agreement; installments: Installment[] }> {
    const agreement = await em.findOneOrFail(Agreement, { where: { id } });
    const installments = await em.find(Installment, { where: { agreementId: id } });
    return { agreement, installments };
  }

  findInstallment(em: EntityManager, agreementId: string, seq: number): Promise<Installment | null> {
    return em.findOne(Installment, { where: { agreementId, seq } });
  }

  async markInstallmentPaid(em: EntityManager, agreementId: string, seq: number, paidAt: Date): Promise<void> {
    await em.update(Installment, { agreementId, seq }, { paidAt });
  }

  /** Installments left unpaid past their due date, as of the calendar day `today` (Shanghai). */
  async countLateInstallments(em: EntityManager, agreementId: string, today: string): Promise<number> {
    const [{ late }]: Array<{ late: number }> = await em.query(
      `SELECT count(*)::int AS late FROM installments WHERE agreement_id = $1 AND paid_at IS NULL AND due_date < $2::date`,
      [agreementId, today],
    );
    return late;
  }

  async clearBreach(em: EntityManager, id: string): Promise<void> {
    await em.update(Agreement, { id }, { inBreach: false });
  }

  /** A renegotiation replaces the case's agreement in force: it is kept, marked superseded. Returns its id, null when there was none. */
  async supersedeCurrent(em: EntityManager, caseId: string, now: Date): Promise<string | null> {
    // An UPDATE answers [rows, row count] through TypeORM's query().
    const [rows]: [Array<{ id: string }>, number] = await em.query(`UPDATE agreements SET superseded_at = $2 WHERE case_id = $1 AND superseded_at IS NULL RETURNING id`, [caseId, now]);
    return rows[0]?.id ?? null;
  }
}
