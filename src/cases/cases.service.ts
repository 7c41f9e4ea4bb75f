import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Agreement, Installment } from '../agreements/agreement.entity';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role.enum';
import { canSeeCase, canSeeWorkstation, maskIdNumber } from '../auth/scope';
import { addDays, endOfShanghaiDay, isValidCalendarDate, shanghaiDate, shanghaiYear } from '../common/business-time';
import { Clock } from '../common/clock';
import { assertNotInFuture, conflict, DomainError, ErrorCode, forbidden, invalidInput, notFound } from '../common/errors/domain-error';
import { AuditService } from '../audit/audit.service';
import { AppConfigService } from '../config/app-config.service';
import { HolidaysService } from '../holidays/holidays.service';
import { workingDayOnOrAfter } from '../holidays/working-days';
import { normalizeMoney } from '../common/money';
import { Confirmation } from '../confirmations/confirmation.entity';
import { RemindersService } from '../reminders/reminders.service';
import { CaseSession } from '../sessions/session.entity';
import { User } from '../users/user.entity';
import { allowedActionsFor, CONCLUDED_STATUSES, COURT_SOURCES, DisputeType, OPEN_STATUSES } from './case-lifecycle';
import { buildCaseFilter, buildCounterTotal, countableFromCounters } from './case-query';
import { CASE_RECORDS_SQL } from './case-records-sql';
import { caseSelectList, numberedCaseInsert } from './case-select';
import { CaseTransactionService } from './case-transaction.service';
import { CaseAttachmentRecord, revealFor, toAgreementView, toCaseAttachmentView, toCaseView, toConfirmationView, toEventView, toSessionView } from './case-view';
import { AssignDto, CorrectionDto, CourtOutcomeDto, ExtensionDto, FailureDto, NoteDto, PartyCorrectionDto, ReasonDto, RenegotiationDto, VoidDto } from './dto/case-actions.dto';
import { CreateCaseDto, PartyDto } from './dto/create-case.dto';
import { ListCasesQuery } from './dto/list-cases.query';
import { deadlineDateOf, mediationDeadline, mediationPeriodDays } from './deadlines';
import { CaseEvent } from './entities/case-event.entity';
import { Case, HandOff } from './entities/case.entity';

const YEAR_MS = 366 * 24 * 3600 * 1000;
/** How deep the list pages (offset + pageSize); beyond it the filters or the CSV export serve better. */
export const MAX_LIST_WINDOW = 10_000;

/** JSON from PostgreSQL carries instants as strings: turn every `...At` field back into a Date. */
function reviveDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveDates);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k.endsWith('At') && typeof v === 'string' ? new Date(v) : reviveDates(v)]),
  );
}

@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: CaseTransactionService,
    private readonly reminders: RemindersService,
    private readonly clock: Clock,
    private readonly holidays: HolidaysService,
    private readonly config: AppConfigService,
    private readonly audit: AuditService,
  ) {}

  /** Intake: the case number comes from a per-workstation-and-year counter row, locked until commit, so numbers are gap-free. */
  async create(actor: AuthUser, dto: CreateCaseDto, extraEvent?: Record<string, unknown>, outer?: EntityManager) {
    if (!canSeeWorkstation(actor, dto.workstationId)) throw forbidden('You may only take in cases for your own workstation', '您只能为本工作室登记案件');
    if (actor.role === Role.CourtClerk && !COURT_SOURCES.includes(dto.source)) {
      throw forbidden('Court clerks take in court-entrusted or court-assigned cases only', '法院书记员只能登记法院委托或委派的案件');
    }
    const now = this.clock.now();
    const receivedAt = dto.receivedAt ? new Date(dto.receivedAt) : now;
    assertNotInFuture(receivedAt, now, 'receivedAt');
    if (dto.mediationDeadline && !COURT_SOURCES.includes(dto.source)) {
      throw invalidInput('mediationDeadline is set by the court: only for court_entrusted or court_assigned cases', { field: 'mediationDeadline' }, '只有法院委托或委派的案件可以填写法院确定的调解期限');
    }
    if (dto.simpleProcedure && dto.source !== 'court_entrusted') throw invalidInput('simpleProcedure applies to court_entrusted cases', { field: 'simpleProcedure' }, '简易程序只适用于法院委托调解的案件');
    const parties = partiesOf(dto.applicant, dto.respondent);
    if (dto.representatives?.length && (dto.workerCount ?? 1) < 3) {
      throw invalidInput('representatives are for a collective dispute (workerCount of 3 or more)', { field: 'representatives' }, '劳动者一方在三人以上的集体争议才推举代表');
    }
    const deadlineAt = await this.intakeDeadline(dto, receivedAt);

    // A conversion from a consultation runs intake inside its own transaction.
    const inTransaction = <T>(work: (em: EntityManager) => Promise<T>) => (outer ? work(outer) : this.dataSource.transaction(work));
    return inTransaction(async (em) => {
      const entity = em.create(Case, {
        id: randomUUID(),
        caseNumber: '',
        workstationId: dto.workstationId,
        source: dto.source,
        courtCaseNumber: dto.courtCaseNumber ?? null,
        simpleProcedure: dto.simpleProcedure ?? false,
        disputeType: dto.disputeType,
        status: 'registered',
        summary: dto.summary,
        claimAmount: normalizeMoney(dto.claimAmount),
        workerCount: dto.workerCount ?? 1,
        ...parties,
        representatives: dto.representatives?.length ? dto.representatives.map((r) => ({ name: r.name, phone: r.phone ?? null })) : null,
        handOff: null,
        courtOutcome: null,
        courtDocumentNumber: null,
        courtOutcomeDate: null,
        voidedAt: null,
        voidReason: null,
        confirmationWaivedAt: null,
        mediatorId: null,
        receivedAt,
        deadlineAt,
        extensionDays: 0,
        overdue: false,
        concludedAt: null,
        outcomeReason: null,
        createdBy: actor.id,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const caseNumber = await this.insertNumbered(em, entity, shanghaiYear(receivedAt));
      if (!caseNumber) throw invalidInput('workstationId does not exist', { field: 'workstationId' }, '工作室不存在');
      entity.caseNumber = caseNumber;
      await this.tx.appendEvent(em, entity.id, 'case_registered', actor.id, now, null, {
        caseNumber: entity.caseNumber,
        status: entity.status,
        source: entity.source,
        disputeType: entity.disputeType,
        claimAmount: entity.claimAmount,
        deadlineAt: entity.deadlineAt,
        deadlineDate: deadlineDateOf(entity.deadlineAt),
        applicantKind: entity.applicantKind,
        ...extraEvent,
      });
      await this.reminders.caseOpened(em, entity, actor.id);
      return toCaseView(entity, revealFor(actor, entity));
    });
  }

  /**
   * The mediation deadline at intake: the court's date (a real calendar date within a year of
   * receipt), or the period of the source; a court's period whose last day is a rest day or a
   * holiday ends on the next working day (Civil Procedure Law art. 85).
   */
  private async intakeDeadline(dto: CreateCaseDto, receivedAt: Date): Promise<Date> {
    if (dto.mediationDeadline) {
      const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(dto.mediationDeadline);
      if (!isValidCalendarDate(dto.mediationDeadline.slice(0, 10)) || (!dateOnly && Number.isNaN(new Date(dto.mediationDeadline).getTime()))) {
        throw invalidInput('mediationDeadline is not a calendar date', { field: 'mediationDeadline' }, '法院确定的调解期限不是有效日期');
      }
      const deadlineAt = mediationDeadline({ source: dto.source, receivedAt, courtDeadline: dto.mediationDeadline });
      if (Number.isNaN(deadlineAt.getTime()) || deadlineAt <= receivedAt) {
        throw invalidInput('mediationDeadline must be a valid date after receipt', { field: 'mediationDeadline' }, '调解期限应晚于收案时间');
      }
      if (deadlineAt.getTime() > receivedAt.getTime() + YEAR_MS) {
        throw invalidInput('mediationDeadline must be within a year of receipt', { field: 'mediationDeadline' }, '调解期限应在收案后一年以内');
      }
      return deadlineAt;
    }
    const deadlineAt = mediationDeadline({ source: dto.source, receivedAt, simpleProcedure: dto.simpleProcedure });
    if (!COURT_SOURCES.includes(dto.source)) return deadlineAt;
    return endOfShanghaiDay(workingDayOnOrAfter(deadlineDateOf(deadlineAt), await this.holidays.calendar()));
  }

  /**
   * Inserts the case numbered from its workstation's counter for the year (e.g. WS01-2026-000042)
   * in one statement, and returns the number; null when the workstation does not exist. The
   * counter row stays locked until commit (that is what keeps numbers gap-free), so intake takes
   * it in its first statement and runs as few as it can after it.
   */
  private async insertNumbered(em: EntityManager, entity: Case, year: number): Promise<string | null> {
    const { sql, columns } = numberedCaseInsert(em.connection);
    // jsonb values go as JSON text (node-postgres would send a JS array as a Postgres array).
    const values = columns.map((c) => {
      const v = c.getEntityValue(entity);
      return c.type === 'jsonb' && v !== null && v !== undefined ? JSON.stringify(v) : v;
    });
    const rows: Array<{ case_number: string }> = await em.query(sql, [entity.workstationId, year, ...values]);
    return rows[0]?.case_number ?? null;
  }

  async list(actor: AuthUser, query: ListCasesQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const offset = (page - 1) * pageSize;
    if (offset + pageSize > MAX_LIST_WINDOW) {
      throw invalidInput(`The list pages through the first ${MAX_LIST_WINDOW} cases: narrow the filters, or use the CSV export for everything`, { field: 'page' });
    }
    const { where, params } = buildCaseFilter(actor, query);
    const [rows, total] = await Promise.all([
      this.dataSource.query(
        `SELECT ${caseSelectList(this.dataSource)} FROM cases c WHERE ${where} ORDER BY c.received_at DESC, c.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, pageSize, offset],
      ) as Promise<Case[]>,
      this.countCases(actor, query, where, params),
    ]);
    // Lists always mask identity numbers.
    return { items: rows.map((c) => toCaseView(c, false)), total, page, pageSize };
  }

  /** Exact totals: from the per-workstation/status/type counters when the filters allow, else by counting. */
  private async countCases(actor: AuthUser, query: ListCasesQuery, where: string, params: unknown[]): Promise<number> {
    if (countableFromCounters(actor, query)) {
      const counter = buildCounterTotal(actor, query);
      const [{ total }] = await this.dataSource.query(`SELECT coalesce(sum(n), 0)::int AS total FROM case_counts WHERE ${counter.where}`, counter.params);
      return total;
    }
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM cases c WHERE ${where}`, params);
    return total;
  }

  async findVisible(actor: AuthUser, id: string): Promise<Case> {
    const [c]: Case[] = await this.dataSource.query(`SELECT ${caseSelectList(this.dataSource)} FROM cases c WHERE c.id = $1`, [id]);
    if (!c || !canSeeCase(actor, c)) throw notFound('Case');
    return c;
  }

  async get(actor: AuthUser, id: string) {
    const c = await this.findVisible(actor, id);
    // Sessions, agreement with installments and confirmation in one round trip.
    const [related] = await this.dataSource.query(CASE_RECORDS_SQL, [id]);
    const { sessions, agreement, confirmation, attachments } = reviveDates(related) as {
      sessions: CaseSession[];
      agreement: (Agreement & { installments: Installment[] }) | null;
      confirmation: Confirmation | null;
      attachments: CaseAttachmentRecord[];
    };
    return {
      ...toCaseView(c, revealFor(actor, c)),
      // What this user may do with the case now (the web page shows exactly these actions).
      allowedActions: allowedActionsFor(c, actor),
      sessions: sessions.map(toSessionView),
      agreement: agreement ? toAgreementView(agreement, agreement.installments, this.clock.now()) : null,
      confirmation: confirmation ? toConfirmationView(confirmation, c.caseNumber) : null,
      attachments: attachments.map(toCaseAttachmentView),
      // The server's clock: the page offers what depends on time (a session's outcome from its start) by it, not by the device's.
      serverTime: this.clock.now(),
    };
  }

  async events(actor: AuthUser, id: string) {
    await this.findVisible(actor, id);
    const events = await this.dataSource.manager.find(CaseEvent, { where: { caseId: id }, order: { id: 'ASC' } });
    const names = await this.actorNames(events.map((e) => e.actorId));
    return events.map((e) => toEventView(e, e.actorId ? (names.get(e.actorId) ?? null) : null));
  }

  async assign(actor: AuthUser, id: string, dto: AssignDto, expectedVersion?: number) {
    const probe = await this.findVisible(actor, id);
    const action = probe.status === 'registered' ? 'assign' : 'reassign';
    const { case: updated } = await this.tx.mutate(id, actor, action, expectedVersion, async ({ em, current }) => {
      const mediator = await em.findOne(User, { where: { id: dto.mediatorId } });
      if (!mediator || mediator.role !== Role.Mediator || !mediator.active || mediator.workstationId !== current.workstationId) {
        throw invalidInput("mediatorId must be an active mediator of the case's workstation", { field: 'mediatorId' });
      }
      if (current.mediatorId === mediator.id) throw new DomainError(ErrorCode.Conflict, 'This mediator is already assigned', { version: current.version });
      const after = { ...current, mediatorId: mediator.id, status: current.status === 'registered' ? 'assigned' : current.status } as Case;
      await this.reminders.caseAssigned(em, after, current.mediatorId, actor.id);
      return {
        change: {
          event: current.mediatorId ? 'mediator_reassigned' : 'mediator_assigned',
          set: { mediatorId: mediator.id },
          before: { mediatorId: current.mediatorId, status: current.status },
          after: { mediatorId: mediator.id, mediatorName: mediator.displayName, status: current.status === 'registered' ? 'assigned' : current.status },
        },
      };
    });
    return this.viewAfter(actor, updated);
  }

  async addNote(actor: AuthUser, id: string, dto: NoteDto, expectedVersion?: number) {
    const { case: c } = await this.tx.mutate(id, actor, 'add_note', expectedVersion, async () => ({
      change: { event: 'note_added', eventOnly: true, after: { text: dto.text, contactedParty: dto.contactedParty ?? null } },
    }));
    const [event] = await this.dataSource.manager.find(CaseEvent, { where: { caseId: c.id, type: 'note_added' }, order: { id: 'DESC' }, take: 1 });
    return toEventView(event, actor.id === event.actorId ? ((await this.actorNames([actor.id])).get(actor.id) ?? null) : null);
  }

  /** Display names of the users (people or service accounts) who acted, in one query. */
  private async actorNames(ids: Array<string | null>): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    if (!unique.length) return new Map();
    const rows: Array<{ id: string; display_name: string }> = await this.dataSource.query(`SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])`, [unique]);
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /**
   * Mediation failed (调解不成), and the case is handed on: a court case back to the court (立案 /
   * 恢复审理), its clerks told at once; any other case to arbitration (art. 14) or nowhere.
   */
  async fail(actor: AuthUser, id: string, dto: FailureDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'fail', expectedVersion, async ({ em, current, next, now }) => {
      const court = COURT_SOURCES.includes(current.source);
      const handOff: HandOff = dto.handOff ?? (court ? 'returned_to_court' : 'arbitration');
      if (court && handOff !== 'returned_to_court') {
        throw invalidInput('A failed court case is returned to the court (handOff returned_to_court)', { field: 'handOff' }, '法院委派、委托的案件调解不成的，应退回法院（立案或恢复审理）');
      }
      if (!court && handOff === 'returned_to_court') {
        throw invalidInput('Only a court case is returned to the court; advise arbitration or none', { field: 'handOff' }, '非法院案件调解不成的，可告知当事人申请劳动争议仲裁');
      }
      await em.query(`UPDATE case_sessions SET status = 'cancelled', updated_at = $2 WHERE case_id = $1 AND status = 'scheduled'`, [current.id, now]);
      const after = { ...current, status: next, concludedAt: now, outcomeReason: dto.reason, handOff } as Case;
      await this.reminders.caseConcluded(em, after, actor.id);
      if (current.status === 'confirmation_rejected') {
        // The rejected agreement will not be carried out: its reminders stop.
        await this.reminders.agreementAbandoned(em, after, actor.id);
      }
      if (handOff === 'returned_to_court') await this.reminders.caseReturnedToCourt(em, after, dto.reason, actor.id);
      return {
        change: {
          event: 'case_failed',
          set: { concludedAt: now, outcomeReason: dto.reason, handOff },
          before: { status: current.status },
          after: { status: next, reason: dto.reason, handOff },
        },
      };
    });
    return this.viewAfter(actor, updated);
  }

  async withdraw(actor: AuthUser, id: string, dto: ReasonDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'withdraw', expectedVersion, async ({ em, current, next, now }) => {
      // Sessions still booked will not take place.
      await em.query(`UPDATE case_sessions SET status = 'cancelled', updated_at = $2 WHERE case_id = $1 AND status = 'scheduled'`, [current.id, now]);
      const after = { ...current, status: next, concludedAt: now, outcomeReason: dto.reason };
      await this.reminders.caseConcluded(em, after as Case, actor.id);
      return {
        change: {
          event: 'case_withdrawn',
          set: { concludedAt: now, outcomeReason: dto.reason },
          before: { status: current.status },
          after: { status: next, reason: dto.reason },
        },
      };
    });
    return this.viewAfter(actor, updated);
  }

  /** A mistaken entry (duplicate, wrong workstation, test): voided with a reason; its number stays used, it counts nowhere. */
  async void(actor: AuthUser, id: string, dto: VoidDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'void', expectedVersion, async ({ em, current, next, now }) => {
      await em.query(`UPDATE case_sessions SET status = 'cancelled', updated_at = $2 WHERE case_id = $1 AND status = 'scheduled'`, [current.id, now]);
      await this.reminders.caseConcluded(em, { ...current, status: next } as Case, actor.id);
      await this.audit.record(em, { actor, action: 'case.voided', caseId: current.id, details: { caseNumber: current.caseNumber, reason: dto.reason } });
      return {
        change: {
          event: 'case_voided',
          set: { voidedAt: now, voidReason: dto.reason },
          before: { status: current.status },
          after: { status: next, reason: dto.reason },
        },
      };
    });
    return this.viewAfter(actor, updated);
  }

  /**
   * An extension of the mediation period: both parties agreed (recorded), the court approved for a
   * court case, and all extensions together stay within MAX_EXTENSION_DAYS.
   */
  async extend(actor: AuthUser, id: string, dto: ExtensionDto, expectedVersion?: number) {
    const agreed = new Set(dto.agreedBy);
    if (!agreed.has('applicant') || !agreed.has('respondent')) {
      throw invalidInput('Both parties must agree to an extension: agreedBy must list applicant and respondent', { field: 'agreedBy' }, '延长调解期限须经双方当事人同意');
    }
    const max = this.config.get('MAX_EXTENSION_DAYS');
    const { case: updated } = await this.tx.mutate(id, actor, 'extend_deadline', expectedVersion, async ({ em, current, now }) => {
      const court = COURT_SOURCES.includes(current.source);
      if (court && !dto.courtApproval) {
        throw invalidInput("A court case's mediation period is extended only with the court's approval (courtApproval)", { field: 'courtApproval' }, '法院委派、委托案件延长调解期限须经法院同意');
      }
      if (dto.courtApproval) assertNotInFuture(new Date(dto.courtApproval.approvedAt), now, 'courtApproval.approvedAt');
      if (current.extensionDays + dto.days > max) {
        throw conflict(
          `Extensions may add at most ${max} days in all; ${current.extensionDays} already added`,
          { maxExtensionDays: max, extensionDays: current.extensionDays, version: current.version },
          `调解期限累计最多延长 ${max} 日，已延长 ${current.extensionDays} 日`,
        );
      }
      let lastDay = addDays(deadlineDateOf(current.deadlineAt), dto.days);
      if (court) lastDay = workingDayOnOrAfter(lastDay, await this.holidays.calendar());
      const deadlineAt = endOfShanghaiDay(lastDay);
      await this.reminders.caseDeadlineMoved(em, { ...current, deadlineAt, overdue: false } as Case, actor.id);
      const courtApproval = dto.courtApproval ? { approvedAt: new Date(dto.courtApproval.approvedAt), reference: dto.courtApproval.reference ?? null } : null;
      return {
        change: {
          event: 'deadline_extended',
          set: { deadlineAt, extensionDays: current.extensionDays + dto.days, overdue: false },
          before: { deadlineAt: current.deadlineAt, deadlineDate: deadlineDateOf(current.deadlineAt), extensionDays: current.extensionDays, overdue: current.overdue },
          after: {
            deadlineAt,
            deadlineDate: lastDay,
            extensionDays: current.extensionDays + dto.days,
            overdue: false,
            days: dto.days,
            reason: dto.reason,
            agreedBy: ['applicant', 'respondent'],
            agreedRecordedAt: now,
            courtApproval,
          },
        },
      };
    });
    return this.viewAfter(actor, updated);
  }

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
    return this.viewAfter(actor, updated);
  }

  /**
   * After a rejection (or non-acceptance) the parties mediate again: the case is back in mediation
   * with a new period, the old agreement and confirmation are kept but superseded.
   */
  async renegotiate(actor: AuthUser, id: string, dto: RenegotiationDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'renegotiate', expectedVersion, async ({ em, current, next, now }) => {
      const [agreement] = await em.query(`UPDATE agreements SET superseded_at = $2 WHERE case_id = $1 AND superseded_at IS NULL RETURNING id`, [current.id, now]);
      const [confirmation] = await em.query(`UPDATE confirmations SET superseded_at = $2 WHERE case_id = $1 AND superseded_at IS NULL RETURNING id`, [current.id, now]);
      const deadlineAt = endOfShanghaiDay(addDays(shanghaiDate(now), mediationPeriodDays(current.source, current.simpleProcedure)));
      const after = { ...current, status: next, deadlineAt, overdue: false, concludedAt: null } as Case;
      await this.reminders.caseRenegotiated(em, after, actor.id);
      return {
        change: {
          event: 'case_renegotiated',
          set: { deadlineAt, overdue: false, concludedAt: null, outcomeReason: null, extensionDays: 0, confirmationWaivedAt: null },
          before: { status: current.status, agreementId: agreement?.id ?? null, confirmationId: confirmation?.id ?? null, deadlineAt: current.deadlineAt },
          after: { status: next, reason: dto.reason, deadlineAt, deadlineDate: deadlineDateOf(deadlineAt) },
        },
      };
    });
    return this.viewAfter(actor, updated);
  }

  /**
   * Corrects a case's registered facts (parties, summary, claim, dispute type, court case number,
   * worker count, representatives): the event records the old and new values of what changed.
   */
  async correct(actor: AuthUser, id: string, dto: CorrectionDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'correct', expectedVersion, async ({ em, current }) => {
      const set: Partial<Case> = {};
      const worker = (side: 'applicant' | 'respondent') => (side === 'applicant') === (current.applicantKind !== 'employer');
      const party = (side: 'applicant' | 'respondent', p: PartyCorrectionDto | undefined) => {
        if (!p) return;
        const isWorker = worker(side);
        if (isWorker && p.creditCode !== undefined) throw invalidInput(`${side}.creditCode: the ${side} is a worker`, { field: `${side}.creditCode` }, '劳动者一方没有统一社会信用代码');
        if (!isWorker && p.idNumber !== undefined) throw invalidInput(`${side}.idNumber: the ${side} is an employer`, { field: `${side}.idNumber` }, '用人单位一方没有身份证号');
        const prefix = side;
        if (p.name !== undefined) set[`${prefix}Name`] = p.name;
        if (p.phone !== undefined) set[`${prefix}Phone`] = p.phone;
        if (p.address !== undefined) set[`${prefix}Address`] = p.address;
        if (p.agent !== undefined) set[`${prefix}Agent`] = { name: p.agent.name, phone: p.agent.phone ?? null, relation: p.agent.relation ?? null };
        if (p.idNumber !== undefined) set[`${prefix}IdNumber`] = p.idNumber;
        if (p.creditCode !== undefined) set[`${prefix}CreditCode`] = p.creditCode;
      };
      party('applicant', dto.applicant);
      party('respondent', dto.respondent);
      if (dto.summary !== undefined) set.summary = dto.summary;
      if (dto.claimAmount !== undefined) set.claimAmount = normalizeMoney(dto.claimAmount);
      if (dto.disputeType !== undefined) set.disputeType = dto.disputeType;
      if (dto.courtCaseNumber !== undefined) set.courtCaseNumber = dto.courtCaseNumber;
      if (dto.workerCount !== undefined) set.workerCount = dto.workerCount;
      if (dto.representatives !== undefined) set.representatives = dto.representatives.map((r) => ({ name: r.name, phone: r.phone ?? null }));
      const workerCount = set.workerCount ?? current.workerCount;
      if ((set.representatives ?? current.representatives ?? []).length && workerCount < 3) {
        throw invalidInput('representatives are for a collective dispute (workerCount of 3 or more)', { field: 'representatives' }, '劳动者一方在三人以上的集体争议才推举代表');
      }
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(set) as Array<[keyof Case, unknown]>) {
        if (JSON.stringify(current[key]) === JSON.stringify(value)) {
          delete set[key];
          continue;
        }
        // Identity numbers are masked in the timeline, which more people read than the case's identity.
        const shown = (v: unknown) => (key === 'applicantIdNumber' || key === 'respondentIdNumber' ? maskIdNumber(v as string | null) : v);
        before[key] = shown(current[key] ?? null);
        after[key] = shown(value);
      }
      if (!Object.keys(set).length) throw invalidInput('Nothing to correct: every value sent is already recorded', undefined, '没有需要更正的内容');
      // In the change's transaction: the audit entry commits or rolls back with the correction.
      await this.audit.record(em, { actor, action: 'case.corrected', caseId: current.id, details: { caseNumber: current.caseNumber, before, after } });
      return { change: { event: 'case_corrected', set, before, after } };
    });
    return this.viewAfter(actor, updated);
  }

  /** The workstation's mediators ranked by open caseload (fewest first), then experience with this dispute type. */
  /**
   * Active mediators of the case's workstation: those whose roster specialties include the case's
   * dispute type first, then by open caseload, experience with the type, cases concluded.
   */
  async mediatorSuggestions(actor: AuthUser, id: string) {
    const c = await this.findVisible(actor, id);
    if (actor.role === Role.Mediator) throw forbidden('Only union staff assign mediators');
    const rows: Array<{ id: string; display_name: string; specialist: boolean; specialties: DisputeType[]; invited: boolean; open_cases: number; same_type_cases: number; concluded_cases: number }> =
      await this.dataSource.query(
        `SELECT u.id, u.display_name,
                coalesce($2 = ANY(p.specialties), false) AS specialist,
                coalesce(p.specialties, '{}')::text[] AS specialties,
                coalesce(p.invited, false) AS invited,
                count(k.id) FILTER (WHERE k.status = ANY($3::varchar[]))::int AS open_cases,
                count(k.id) FILTER (WHERE k.dispute_type = $2 AND k.status = ANY($4::varchar[]))::int AS same_type_cases,
                count(k.id) FILTER (WHERE k.status = ANY($4::varchar[]))::int AS concluded_cases
           FROM users u
           LEFT JOIN mediator_profiles p ON p.user_id = u.id
           LEFT JOIN cases k ON k.mediator_id = u.id
          WHERE u.workstation_id = $1 AND u.role = 'mediator' AND u.active
          GROUP BY u.id, u.display_name, p.specialties, p.invited
          ORDER BY specialist DESC, open_cases ASC, same_type_cases DESC, concluded_cases DESC, u.display_name ASC`,
        [c.workstationId, c.disputeType, OPEN_STATUSES, CONCLUDED_STATUSES],
      );
    return rows.map((r, i) => ({
      rank: i + 1,
      mediatorId: r.id,
      displayName: r.display_name,
      specialist: r.specialist,
      specialties: r.specialties,
      invited: r.invited,
      openCases: r.open_cases,
      sameDisputeTypeCases: r.same_type_cases,
      concludedCases: r.concluded_cases,
      current: r.id === c.mediatorId,
    }));
  }

  /** The updated case as the actor may see it (a reassigned-away mediator still gets the answer to their own change). */
  viewAfter(actor: AuthUser, c: Case) {
    return toCaseView(c, revealFor(actor, c));
  }
}

/**
 * The party columns of a new case. The applicant is a worker unless `kind` says employer; the
 * respondent is the other kind (a respondent `kind` that says otherwise is a 400). A worker has an
 * identity number, an employer a credit code.
 */
export function partiesOf(applicant: PartyDto, respondent: PartyDto): Partial<Case> {
  const applicantKind = applicant.kind ?? 'worker';
  const respondentKind = applicantKind === 'worker' ? 'employer' : 'worker';
  if (respondent.kind && respondent.kind !== respondentKind) {
    throw invalidInput(`respondent.kind must be ${respondentKind} when the applicant is a ${applicantKind}`, { field: 'respondent.kind' }, '被申请人应为申请人的对方（劳动者与用人单位）');
  }
  const check = (side: 'applicant' | 'respondent', p: PartyDto, kind: 'worker' | 'employer') => {
    if (kind === 'worker' && p.creditCode) throw invalidInput(`${side}.creditCode: the ${side} is a worker`, { field: `${side}.creditCode` }, '劳动者一方没有统一社会信用代码');
    if (kind === 'employer' && p.idNumber) throw invalidInput(`${side}.idNumber: the ${side} is an employer`, { field: `${side}.idNumber` }, '用人单位一方没有身份证号');
  };
  check('applicant', applicant, applicantKind);
  check('respondent', respondent, respondentKind);
  const agent = (p: PartyDto) => (p.agent ? { name: p.agent.name, phone: p.agent.phone ?? null, relation: p.agent.relation ?? null } : null);
  return {
    applicantKind,
    applicantName: applicant.name,
    applicantIdNumber: applicant.idNumber ?? null,
    applicantCreditCode: applicant.creditCode ?? null,
    applicantPhone: applicant.phone ?? null,
    applicantAddress: applicant.address ?? null,
    applicantAgent: agent(applicant),
    respondentName: respondent.name,
    respondentIdNumber: respondent.idNumber ?? null,
    respondentCreditCode: respondent.creditCode ?? null,
    respondentPhone: respondent.phone ?? null,
    respondentAddress: respondent.address ?? null,
    respondentAgent: agent(respondent),
  };
}
