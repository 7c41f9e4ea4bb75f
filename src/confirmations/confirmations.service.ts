import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Agreement } from '../agreements/agreement.entity';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role.enum';
import { canSeeCase, visibleWorkstationId } from '../auth/scope';
import { addDays, endOfShanghaiDay, shanghaiDate } from '../common/business-time';
import { Clock } from '../common/clock';
import { assertNotInFuture, DomainError, ErrorCode, invalidInput, notFound } from '../common/errors/domain-error';
import { CaseTransactionService } from '../cases/case-transaction.service';
import { toConfirmationView } from '../cases/case-view';
import { CasesService } from '../cases/cases.service';
import { Case } from '../cases/entities/case.entity';
import { RemindersService } from '../reminders/reminders.service';
import { ListConfirmationsQuery, RequestConfirmationDto, RulingDto } from './confirmation.dto';
import { Confirmation } from './confirmation.entity';

/** Civil Procedure Law: the parties apply within 30 days of the agreement taking effect. */
export const APPLICATION_WINDOW_DAYS = 30;
/** The court rules within 15 days of accepting the request. */
export const RULING_PERIOD_DAYS = 15;
/** A period of N days from an instant ends at 24:00 Shanghai of the N-th day after it (as the reminders count it). */
const periodEnd = (from: Date, days: number) => endOfShanghaiDay(addDays(shanghaiDate(from), days));

@Injectable()
export class ConfirmationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: CaseTransactionService,
    private readonly cases: CasesService,
    private readonly reminders: RemindersService,
    private readonly clock: Clock,
  ) {}

  async request(actor: AuthUser, caseId: string, dto: RequestConfirmationDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(caseId, actor, 'request_confirmation', expectedVersion, async ({ em, current, next, now }) => {
      const agreement = await em.findOneOrFail(Agreement, { where: { caseId: current.id } });
      const appliedAt = dto.appliedAt ? new Date(dto.appliedAt) : now;
      assertNotInFuture(appliedAt, now, 'appliedAt');
      if (appliedAt < agreement.effectiveAt) throw invalidInput('appliedAt is before the agreement took effect', { field: 'appliedAt' });
      const windowEnd = periodEnd(agreement.effectiveAt, APPLICATION_WINDOW_DAYS);
      if (appliedAt > windowEnd) {
        throw new DomainError(ErrorCode.Conflict, `The ${APPLICATION_WINDOW_DAYS}-day window to apply for judicial confirmation ended on ${windowEnd.toISOString()}`, {
          windowEnd,
          status: current.status,
        });
      }
      const confirmation = await em.save(
        Confirmation,
        em.create(Confirmation, { caseId: current.id, workstationId: current.workstationId, status: 'pending', appliedAt, requestedBy: actor.id, createdAt: now }),
      );
      await this.reminders.confirmationRequested(em, { ...current, status: next } as Case, confirmation, actor.id);
      return {
        change: {
          event: 'confirmation_requested',
          before: { status: current.status },
          after: { status: next, confirmationId: confirmation.id, appliedAt },
        },
      };
    });
    return this.cases.viewAfter(actor, updated);
  }

  /** The clerk's queue (oldest request first) or the rulings made, in the user's scope. */
  async list(actor: AuthUser, query: ListConfirmationsQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const params: unknown[] = [];
    const conditions: string[] = [];
    const bind = (v: unknown) => (params.push(v), `$${params.length}`);
    const scope = visibleWorkstationId(actor);
    if (scope === undefined) conditions.push('false');
    else if (scope !== null) conditions.push(`f.workstation_id = ${bind(scope)}`);
    if (actor.role === Role.Mediator) conditions.push(`c.mediator_id = ${bind(actor.id)}`);
    if (query.status) conditions.push(`f.status = ${bind(query.status)}`);
    const where = conditions.length ? conditions.join(' AND ') : 'true';
    const order = query.status === 'pending' ? 'f.applied_at ASC, f.id ASC' : 'coalesce(f.ruled_at, f.applied_at) DESC, f.id DESC';
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT f.*, c.case_number, c.applicant_name, c.respondent_name, c.dispute_type, a.agreed_amount, a.effective_at
           FROM confirmations f JOIN cases c ON c.id = f.case_id JOIN agreements a ON a.case_id = f.case_id
          WHERE ${where} ORDER BY ${order} LIMIT ${bind(pageSize)} OFFSET ${bind((page - 1) * pageSize)}`,
        params,
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM confirmations f JOIN cases c ON c.id = f.case_id WHERE ${where}`, params.slice(0, params.length - 2)),
    ]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw row, mapped field by field
    const items = rows.map((r: Record<string, any>) => ({
      id: r.id,
      caseId: r.case_id,
      caseNumber: r.case_number,
      workstationId: r.workstation_id,
      status: r.status,
      appliedAt: r.applied_at,
      rulingDueAt: periodEnd(new Date(r.applied_at), RULING_PERIOD_DAYS),
      ruledAt: r.ruled_at,
      rulingNumber: r.ruling_number,
      reason: r.reason,
      applicantName: r.applicant_name,
      respondentName: r.respondent_name,
      disputeType: r.dispute_type,
      agreedAmount: r.agreed_amount,
      agreementEffectiveAt: r.effective_at,
    }));
    return { items, total, page, pageSize };
  }

  /**
   * The court's ruling. The case row is locked first, so that of concurrent rulings exactly one
   * applies; a repeat with the same decision, number and reason answers the same result, a
   * different one after a ruling is a 409.
   */
  async rule(actor: AuthUser, confirmationId: string, dto: RulingDto, expectedVersion?: number) {
    if (dto.decision === 'rejected' && !dto.reason) throw invalidInput('reason is required when the request is rejected', { field: 'reason' });
    return this.dataSource.transaction(async (em) => {
      const found = await em.findOne(Confirmation, { where: { id: confirmationId } });
      if (!found) throw notFound('Confirmation');
      const c = await em.getRepository(Case).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id: found.caseId }).getOne();
      if (!c || !canSeeCase(actor, c)) throw notFound('Confirmation');
      const confirmation = await em.findOneOrFail(Confirmation, { where: { id: confirmationId } });
      if (confirmation.status !== 'pending') {
        const same = confirmation.status === dto.decision && confirmation.rulingNumber === dto.rulingNumber && (confirmation.reason ?? null) === (dto.reason ?? null);
        if (same) return toConfirmationView(confirmation, c.caseNumber);
        throw new DomainError(ErrorCode.Conflict, `Already ruled: ${confirmation.status} (${confirmation.rulingNumber})`, {
          status: confirmation.status,
          rulingNumber: confirmation.rulingNumber,
          version: c.version,
        });
      }
      const action = dto.decision === 'confirmed' ? 'rule_confirmed' : 'rule_rejected';
      await this.tx.mutateLocked(em, c, actor, action, expectedVersion, async ({ next, now }) => {
        confirmation.status = dto.decision;
        confirmation.rulingNumber = dto.rulingNumber;
        confirmation.reason = dto.reason ?? null;
        confirmation.ruledAt = now;
        confirmation.ruledBy = actor.id;
        await em.save(Confirmation, confirmation);
        await this.reminders.confirmationRuled(em, { ...c, status: next } as Case, confirmation, actor.id);
        return {
          change: {
            event: dto.decision === 'confirmed' ? 'confirmation_confirmed' : 'confirmation_rejected',
            before: { status: c.status, confirmation: 'pending' },
            after: { status: next, confirmation: dto.decision, rulingNumber: dto.rulingNumber, reason: dto.reason ?? null },
          },
        };
      });
      return toConfirmationView(confirmation, c.caseNumber);
    });
  }
}
