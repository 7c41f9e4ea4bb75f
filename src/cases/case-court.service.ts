import { Injectable } from '@nestjs/common';
import { AgreementsRepository } from '../case-core/agreements.repository';
import { AuthUser } from '../accounts-core/auth-user';
import { CaseTransactionService } from '../case-core/case-transaction.service';
import { caseViewFor } from '../case-core/case-view';
import { Case } from '../case-core/case.entity';
import { ConfirmationsRepository } from '../case-core/confirmations.repository';
import { deadlineDateOf, mediationPeriodDays } from '../case-core/statutory-periods';
import { addDays, endOfShanghaiDay, isValidCalendarDate, shanghaiDate } from '../common/business-time';
import { invalidInput } from '../common/errors/domain-error';
import { RemindersService } from '../reminders/reminders.service';
import { CourtOutcomeDto, RenegotiationDto } from './dto/case-actions.dto';

/** After the agreement: the court's own outcome of an entrusted case, or mediation again after a rejected confirmation. */
@Injectable()
export class CaseCourtService {
  constructor(
    private readonly tx: CaseTransactionService,
    private readonly agreements: AgreementsRepository,
    private readonly confirmations: ConfirmationsRepository,
    private readonly reminders: RemindersService,
  ) {}

  /** The court closed an entrusted case: its 民事调解书 (with its number) or the withdrawal of the suit (撤诉). */
  async recordCourtOutcome(actor: AuthUser, id: string, dto: CourtOutcomeDto, expectedVersion?: number) {
    if (!isValidCalendarDate(dto.date)) throw invalidInput('date is not a calendar date', { field: 'date' }, '日期不是有效的日历日期');
    if (dto.outcome === 'mediation_document' && !dto.documentNumber) {
      throw invalidInput("documentNumber (the 调解书's number) is required for mediation_document", { field: 'documentNumber' }, '出具民事调解书的，应填写调解书案号');
    }
    const { case: updated } = await this.tx.mutate(id, actor, 'record_court_outcome', expectedVersion, async ({ em, current, next, now }) => {
      if (dto.date > shanghaiDate(now)) throw invalidInput('date is in the future', { field: 'date' }, '日期不能晚于今天');
      if (dto.date < shanghaiDate(current.receivedAt)) throw invalidInput('date is before the case was received', { field: 'date' }, '日期不能早于收案日期');
      await this.reminders.confirmationWaived(em, { ...current, status: next } as Case, actor.id);
      const set = { courtOutcome: dto.outcome, courtDocumentNumber: dto.documentNumber ?? null, courtOutcomeDate: dto.date };
      return {
        change: {
          event: 'court_outcome_recorded',
          set,
          before: { status: current.status },
          after: { status: next, outcome: dto.outcome, documentNumber: dto.documentNumber ?? null, date: dto.date },
        },
      };
    });
    return caseViewFor(actor, updated);
  }

  /**
   * After a rejection (or non-acceptance) the parties mediate again: the case is back in mediation
   * with a new period, the old agreement and confirmation are kept but superseded.
   */
  async renegotiate(actor: AuthUser, id: string, dto: RenegotiationDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'renegotiate', expectedVersion, async ({ em, current, next, now }) => {
      const agreementId = await this.agreements.supersedeCurrent(em, current.id, now);
      const confirmationId = await this.confirmations.supersedeCurrent(em, current.id, now);
      const deadlineAt = endOfShanghaiDay(addDays(shanghaiDate(now), mediationPeriodDays(current.source, current.simpleProcedure)));
      const after = { ...current, status: next, deadlineAt, overdue: false, concludedAt: null } as Case;
      await this.reminders.caseRenegotiated(em, after, actor.id);
      return {
        change: {
          event: 'case_renegotiated',
          set: { deadlineAt, overdue: false, concludedAt: null, outcomeReason: null, extensionDays: 0, confirmationWaivedAt: null },
          before: { status: current.status, agreementId, confirmationId, deadlineAt: current.deadlineAt },
          after: { status: next, reason: dto.reason, deadlineAt, deadlineDate: deadlineDateOf(deadlineAt) },
        },
      };
    });
    return caseViewFor(actor, updated);
  }
}
