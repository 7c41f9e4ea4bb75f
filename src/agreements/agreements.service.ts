import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../accounts-core/auth-user';
import { Clock } from '../common/clock';
import { isValidCalendarDate, shanghaiDate } from '../common/business-time';
import { assertNotInFuture, DomainError, ErrorCode, invalidInput, notFound } from '../common/errors/domain-error';
import { fromFen, normalizeMoney, toFen } from '../common/money';
import { CaseTransactionService } from '../case-core/case-transaction.service';
import { toAgreementView } from '../case-core/case-view';
import { AgreementsRepository } from '../case-core/agreements.repository';
import { Case } from '../case-core/case.entity';
import { CaseConclusion } from '../cases/case-conclusion';
import { CasesService } from '../cases/cases.service';
import { RemindersService } from '../reminders/reminders.service';
import { RecordAgreementDto, RecordPaymentDto } from './agreement.dto';


@Injectable()
export class AgreementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: CaseTransactionService,
    private readonly cases: CasesService,
    private readonly agreements: AgreementsRepository,
    private readonly conclusion: CaseConclusion,
    private readonly reminders: RemindersService,
    private readonly clock: Clock,
  ) {}

  /** The parties and the mediator signed: the case leaves mediation with an agreement and, if any, a payment plan. */
  async record(actor: AuthUser, caseId: string, dto: RecordAgreementDto, expectedVersion?: number) {
    const signedAt = new Date(dto.signedAt);
    const effectiveAt = dto.effectiveAt ? new Date(dto.effectiveAt) : signedAt;
    const agreedFen = toFen(dto.agreedAmount);
    this.checkPlan(dto, agreedFen, effectiveAt);

    await this.tx.mutate(caseId, actor, 'record_agreement', expectedVersion, async ({ em, current, next, now }) => {
      assertNotInFuture(signedAt, now, 'signedAt');
      if (signedAt < current.receivedAt) throw invalidInput('signedAt is before the case was received', { field: 'signedAt' });
      if (effectiveAt < signedAt) throw invalidInput('effectiveAt is before signedAt', { field: 'effectiveAt' });
      const { agreement, installments } = await this.agreements.insert(
        em,
        {
          caseId: current.id,
          terms: dto.terms,
          agreedAmount: fromFen(agreedFen),
          signedAt,
          effectiveAt,
          inBreach: false,
          breachedAt: null,
          signatories: dto.signatories?.length ? dto.signatories : null,
          supersededAt: null,
          createdBy: actor.id,
          createdAt: now,
        },
        dto.installments.map((i) => ({ dueDate: i.dueDate, amount: normalizeMoney(i.amount) })),
      );
      const after = { ...current, status: next, concludedAt: signedAt } as Case;
      await this.conclusion.concluded(em, after, actor.id, now);
      await this.reminders.agreementRecorded(em, after, agreement, installments, actor.id);
      return {
        change: {
          event: 'agreement_recorded',
          // Mediation ended when the agreement was signed.
          set: { concludedAt: signedAt, outcomeReason: null },
          before: { status: current.status },
          after: { status: next, agreementId: agreement.id, agreedAmount: agreement.agreedAmount, signedAt, effectiveAt, installments: dto.installments.length },
        },
      };
    });
    return this.cases.get(actor, caseId);
  }

  private checkPlan(dto: RecordAgreementDto, agreedFen: bigint, effectiveAt: Date): void {
    if (!dto.installments.length) return;
    const firstDay = shanghaiDate(effectiveAt);
    let previous = '';
    let sum = 0n;
    dto.installments.forEach((i, idx) => {
      const field = `installments.${idx}.dueDate`;
      if (!isValidCalendarDate(i.dueDate)) throw invalidInput(`${field} is not a calendar date`, { field });
      if (i.dueDate < firstDay) throw invalidInput(`${field} is before the agreement takes effect`, { field });
      if (i.dueDate <= previous) throw invalidInput('installments must be in increasing order of dueDate', { field });
      if (toFen(i.amount) === 0n) throw invalidInput(`installments.${idx}.amount must be positive`, { field: `installments.${idx}.amount` });
      previous = i.dueDate;
      sum += toFen(i.amount);
    });
    if (sum !== agreedFen) {
      throw invalidInput(`installments add up to ${fromFen(sum)}, not the agreed amount ${fromFen(agreedFen)}`, { field: 'installments' });
    }
  }

  /** Records one payment of the plan; a repeated identical payment answers the same, a different one is a 409. */
  async recordPayment(actor: AuthUser, agreementId: string, seq: number, dto: RecordPaymentDto, expectedVersion?: number) {
    const paidAt = new Date(dto.paidAt);
    return this.dataSource.transaction(async (em) => {
      const agreement = await this.agreements.findById(agreementId, em);
      if (!agreement || agreement.supersededAt) throw notFound('Agreement');
      const current = await this.tx.lockVisible(em, agreement.caseId, actor).catch(() => {
        throw notFound('Agreement');
      });
      const installment = await this.agreements.findInstallment(em, agreementId, seq);
      if (!installment) throw notFound('Installment');
      if (installment.paidAt) {
        if (installment.paidAt.getTime() === paidAt.getTime()) return this.view(agreement.id, em);
        throw new DomainError(ErrorCode.Conflict, `Installment ${seq} was already paid on ${installment.paidAt.toISOString()}`, { paidAt: installment.paidAt });
      }
      await this.tx.mutateLocked(em, current, actor, 'record_payment', expectedVersion, async ({ now }) => {
        assertNotInFuture(paidAt, now, 'paidAt');
        if (paidAt < agreement.signedAt) throw invalidInput('paidAt is before the agreement was signed', { field: 'paidAt' });
        await this.agreements.markInstallmentPaid(em, agreementId, seq, paidAt);
        // The breach is cured once no installment is left unpaid past its due date.
        const late = await this.agreements.countLateInstallments(em, agreementId, shanghaiDate(now));
        const cured = agreement.inBreach && late === 0;
        if (cured) await this.agreements.clearBreach(em, agreementId);
        await this.reminders.installmentPaid(em, current, { ...installment, paidAt }, actor.id);
        return {
          change: {
            event: 'installment_paid',
            before: { installment: seq, paidAt: null, inBreach: agreement.inBreach },
            after: { installment: seq, amount: installment.amount, paidAt, inBreach: cured ? false : agreement.inBreach },
          },
        };
      });
      return this.view(agreement.id, em);
    });
  }

  private async view(agreementId: string, em: EntityManager) {
    const { agreement, installments } = await this.agreements.withInstallments(agreementId, em);
    return toAgreementView(agreement, installments, this.clock.now());
  }
}
