import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AgreementsRepository } from '../case-core/agreements.repository';
import { AuthUser } from '../accounts-core/auth-user';
import { Role } from '../accounts-core/role.enum';
import { canSeeCase, visibleWorkstationId } from '../accounts-core/scope';
import { shanghaiDate } from '../common/business-time';
import { Clock } from '../common/clock';
import { assertNotInFuture, conflict, DomainError, ErrorCode, forbidden, invalidInput, notFound } from '../common/errors/domain-error';
import { LIFECYCLE } from '../case-core/case-lifecycle';
import { CaseTransactionService } from '../case-core/case-transaction.service';
import { caseViewFor, toConfirmationView } from '../case-core/case-view';
import { Case } from '../case-core/case.entity';
import { CasesRepository } from '../case-core/cases.repository';
import { ConfirmationsRepository } from '../case-core/confirmations.repository';
import { HolidaysService } from '../holidays/holidays.service';
import { courtPeriodEnd } from '../holidays/working-days';
import { RemindersService } from '../reminders/reminders.service';
import { ACCEPTANCE_PERIOD_DAYS, APPLICATION_WINDOW_DAYS, applicationWindowEnd, EXTENDED_RULING_PERIOD_DAYS, RULING_PERIOD_DAYS } from '../case-core/statutory-periods';
import { AcceptanceDto, ListConfirmationsQuery, RequestConfirmationDto, RulingDto, RulingExtensionDto, WaiveConfirmationDto } from './confirmation.dto';
import { Confirmation } from '../case-core/confirmation.entity';

/**
 * 司法确认 (DESIGN.md "Case lifecycle"): the joint request (or the parties' waiver), the court's
 * acceptance (受理, with its 调确 number) or non-acceptance within 3 days, the ruling within 15
 * days of acceptance (25 with the one extension); court periods end on a working day.
 */
@Injectable()
export class ConfirmationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: CaseTransactionService,
    private readonly caseRows: CasesRepository,
    private readonly agreements: AgreementsRepository,
    private readonly confirmations: ConfirmationsRepository,
    private readonly reminders: RemindersService,
    private readonly holidays: HolidaysService,
    private readonly clock: Clock,
  ) {}

  async request(actor: AuthUser, caseId: string, dto: RequestConfirmationDto, expectedVersion?: number) {
    const calendar = await this.holidays.calendar();
    const { case: updated } = await this.tx.mutate(caseId, actor, 'request_confirmation', expectedVersion, async ({ em, current, next, now }) => {
      const agreement = await this.agreements.findCurrentOfCase(em, current.id);
      const appliedAt = dto.appliedAt ? new Date(dto.appliedAt) : now;
      assertNotInFuture(appliedAt, now, 'appliedAt');
      if (appliedAt < agreement.effectiveAt) throw invalidInput('appliedAt is before the agreement took effect', { field: 'appliedAt' }, '申请日期早于调解协议生效日期');
      const windowEnd = applicationWindowEnd(agreement.effectiveAt);
      if (appliedAt > windowEnd) {
        throw new DomainError(
          ErrorCode.Conflict,
          `The ${APPLICATION_WINDOW_DAYS}-day window to apply for judicial confirmation ended on ${windowEnd.toISOString()}`,
          { windowEnd, status: current.status },
          `申请司法确认的 ${APPLICATION_WINDOW_DAYS} 日期限已于 ${shanghaiDate(new Date(windowEnd.getTime() - 1))} 届满`,
        );
      }
      const applicants = [
        { side: 'applicant' as const, name: current.applicantName },
        { side: 'respondent' as const, name: current.respondentName },
      ];
      const confirmation = await this.confirmations.insert(em, {
          caseId: current.id,
          workstationId: current.workstationId,
          status: 'pending',
          appliedAt,
          requestedBy: actor.id,
          court: dto.court ?? null,
          applicants,
          acceptanceDueAt: courtPeriodEnd(appliedAt, ACCEPTANCE_PERIOD_DAYS, calendar),
          supersededAt: null,
          createdAt: now,
      });
      await this.reminders.confirmationRequested(em, { ...current, status: next } as Case, confirmation, actor.id);
      return {
        change: {
          event: 'confirmation_requested',
          before: { status: current.status },
          after: { status: next, confirmationId: confirmation.id, appliedAt, court: confirmation.court, applicants, acceptanceDueAt: confirmation.acceptanceDueAt },
        },
      };
    });
    return caseViewFor(actor, updated);
  }

  /** The parties chose not to apply: recorded, and the application reminders stop. */
  async waive(actor: AuthUser, caseId: string, dto: WaiveConfirmationDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(caseId, actor, 'waive_confirmation', expectedVersion, async ({ em, current, now }) => {
      if (current.confirmationWaivedAt) {
        throw conflict('The parties already waived judicial confirmation', { confirmationWaivedAt: current.confirmationWaivedAt, version: current.version }, '当事人已放弃申请司法确认');
      }
      await this.reminders.confirmationWaived(em, current, actor.id);
      return { change: { event: 'confirmation_waived', set: { confirmationWaivedAt: now }, before: { confirmationWaivedAt: null }, after: { confirmationWaivedAt: now, reason: dto.reason ?? null } } };
    });
    return caseViewFor(actor, updated);
  }

  /** The clerk's queue: pending (oldest first, with the acceptance due date), accepted (oldest first, with the ruling due date), or rulings made. */
  async list(actor: AuthUser, query: ListConfirmationsQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { items: rows, total } = await this.confirmations.queue(
      { scope: visibleWorkstationId(actor), mediatorId: actor.role === Role.Mediator ? actor.id : undefined, status: query.status },
      page,
      pageSize,
    );
    const items = rows.map((r) => ({
      ...toConfirmationView(r.confirmation, r.caseNumber),
      applicantName: r.applicantName,
      respondentName: r.respondentName,
      disputeType: r.disputeType,
      agreedAmount: r.agreedAmount,
      agreementEffectiveAt: r.agreementEffectiveAt,
    }));
    return { items, total, page, pageSize };
  }

  /** The court decides whether to accept the request (受理, with its 调确 number) or not (不予受理, with the reason). */
  async decideAcceptance(actor: AuthUser, confirmationId: string, dto: AcceptanceDto, expectedVersion?: number) {
    if (dto.decision === 'accepted' && !dto.acceptanceNumber) {
      throw invalidInput('acceptanceNumber (the 调确 number) is required when the request is accepted', { field: 'acceptanceNumber' }, '受理的，应填写受理案号（调确号）');
    }
    if (dto.decision === 'not_accepted' && !dto.reason) throw invalidInput('reason is required when the request is not accepted', { field: 'reason' }, '不予受理的，应说明理由');
    const calendar = await this.holidays.calendar();
    return this.dataSource.transaction(async (em) => {
      const { c, confirmation } = await this.lockByConfirmation(em, actor, confirmationId);
      if (confirmation.status !== 'pending') {
        const same =
          dto.decision === 'accepted'
            ? !!confirmation.acceptedAt && confirmation.acceptanceNumber === dto.acceptanceNumber
            : !!confirmation.declinedAt && confirmation.reason === dto.reason;
        if (same) return toConfirmationView(confirmation, c.caseNumber);
        throw conflict(
          `The request was already ${confirmation.acceptedAt ? `accepted (${confirmation.acceptanceNumber})` : 'decided'}: ${confirmation.status}`,
          { status: confirmation.status, acceptanceNumber: confirmation.acceptanceNumber, version: c.version },
          '法院已对该申请作出受理决定',
        );
      }
      const action = dto.decision === 'accepted' ? 'accept_confirmation' : 'decline_confirmation';
      await this.tx.mutateLocked(em, c, actor, action, expectedVersion, async ({ next, now }) => {
        if (dto.decision === 'accepted') {
          confirmation.status = 'accepted';
          confirmation.acceptedAt = now;
          confirmation.acceptedBy = actor.id;
          confirmation.acceptanceNumber = dto.acceptanceNumber!;
          confirmation.rulingDueAt = courtPeriodEnd(now, RULING_PERIOD_DAYS, calendar);
          await this.confirmations.save(em, confirmation);
          await this.reminders.confirmationAccepted(em, { ...c, status: next } as Case, confirmation, actor.id);
          return {
            change: {
              event: 'confirmation_accepted',
              before: { status: c.status, confirmation: 'pending' },
              after: { status: next, confirmation: 'accepted', acceptanceNumber: confirmation.acceptanceNumber, rulingDueAt: confirmation.rulingDueAt },
            },
          };
        }
        confirmation.status = 'rejected';
        confirmation.declinedAt = now;
        confirmation.reason = dto.reason!;
        await this.confirmations.save(em, confirmation);
        await this.reminders.confirmationRuled(em, { ...c, status: next } as Case, confirmation, actor.id);
        return {
          change: { event: 'confirmation_not_accepted', before: { status: c.status, confirmation: 'pending' }, after: { status: next, confirmation: 'rejected', reason: dto.reason } },
        };
      });
      return toConfirmationView(confirmation, c.caseNumber);
    });
  }

  /** The ruling period extended once by 10 days (25 days from acceptance, 法释〔2011〕5号 art. 5). */
  async extendRuling(actor: AuthUser, confirmationId: string, dto: RulingExtensionDto, expectedVersion?: number) {
    const calendar = await this.holidays.calendar();
    return this.dataSource.transaction(async (em) => {
      const { c, confirmation } = await this.lockByConfirmation(em, actor, confirmationId);
      await this.tx.mutateLocked(em, c, actor, 'extend_ruling', expectedVersion, async ({ now }) => {
        if (confirmation.rulingExtendedAt) {
          throw conflict('The ruling period may be extended once only', { rulingExtendedAt: confirmation.rulingExtendedAt, version: c.version }, '审查期限只能延长一次');
        }
        const before = confirmation.rulingDueAt;
        confirmation.rulingExtendedAt = now;
        confirmation.rulingExtensionReason = dto.reason;
        confirmation.rulingDueAt = courtPeriodEnd(confirmation.acceptedAt!, EXTENDED_RULING_PERIOD_DAYS, calendar);
        await this.confirmations.save(em, confirmation);
        await this.reminders.confirmationAccepted(em, c, confirmation, actor.id);
        return { change: { event: 'ruling_extended', before: { rulingDueAt: before }, after: { rulingDueAt: confirmation.rulingDueAt, reason: dto.reason } } };
      });
      return toConfirmationView(confirmation, c.caseNumber);
    });
  }

  /**
   * The court's ruling, once the request is accepted. The case row is locked first, so that of
   * concurrent rulings exactly one applies; a repeat with the same decision, number and reason
   * answers the same result, a different one after a ruling is a 409.
   */
  async rule(actor: AuthUser, confirmationId: string, dto: RulingDto, expectedVersion?: number) {
    if (dto.decision === 'rejected' && !dto.reason) throw invalidInput('reason is required when the request is rejected', { field: 'reason' }, '裁定驳回的，应说明理由');
    return this.dataSource.transaction(async (em) => {
      const { c, confirmation } = await this.lockByConfirmation(em, actor, confirmationId);
      const action = dto.decision === 'confirmed' ? 'rule_confirmed' : 'rule_rejected';
      // A role that may never rule learns nothing about an earlier ruling (403 before the repeat check).
      if (!LIFECYCLE[action].roles.includes(actor.role)) throw forbidden();
      if (confirmation.status === 'confirmed' || (confirmation.status === 'rejected' && confirmation.ruledAt)) {
        const same = confirmation.status === dto.decision && confirmation.rulingNumber === dto.rulingNumber && (confirmation.reason ?? null) === (dto.reason ?? null);
        if (same) return toConfirmationView(confirmation, c.caseNumber);
        throw new DomainError(
          ErrorCode.Conflict,
          `Already ruled: ${confirmation.status} (${confirmation.rulingNumber})`,
          { status: confirmation.status, rulingNumber: confirmation.rulingNumber, version: c.version },
          `法院已作出裁定（${confirmation.rulingNumber}）`,
        );
      }
      await this.tx.mutateLocked(em, c, actor, action, expectedVersion, async ({ next, now }) => {
        confirmation.status = dto.decision;
        confirmation.rulingNumber = dto.rulingNumber;
        confirmation.reason = dto.reason ?? null;
        confirmation.ruledAt = now;
        confirmation.ruledBy = actor.id;
        await this.confirmations.save(em, confirmation);
        await this.reminders.confirmationRuled(em, { ...c, status: next } as Case, confirmation, actor.id);
        return {
          change: {
            event: dto.decision === 'confirmed' ? 'confirmation_confirmed' : 'confirmation_rejected',
            before: { status: c.status, confirmation: 'accepted' },
            after: { status: next, confirmation: dto.decision, rulingNumber: dto.rulingNumber, reason: dto.reason ?? null },
          },
        };
      });
      return toConfirmationView(confirmation, c.caseNumber);
    });
  }

  /** The confirmation's case locked (FOR UPDATE), then the confirmation read under that lock; 404 outside the actor's scope. */
  private async lockByConfirmation(em: EntityManager, actor: AuthUser, confirmationId: string): Promise<{ c: Case; confirmation: Confirmation }> {
    const found = await this.confirmations.findById(em, confirmationId);
    if (!found || found.supersededAt) throw notFound('Confirmation');
    const c = await this.caseRows.lock(em, found.caseId);
    if (!c || !canSeeCase(actor, c)) throw notFound('Confirmation');
    const confirmation = await this.confirmations.findById(em, confirmationId);
    if (!confirmation || confirmation.supersededAt) throw notFound('Confirmation');
    return { c, confirmation };
  }
}
