import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Agreement, Installment } from '../agreements/agreement.entity';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role.enum';
import { canSeeCase, canSeeWorkstation } from '../auth/scope';
import { shanghaiYear } from '../common/business-time';
import { Clock } from '../common/clock';
import { assertNotInFuture, DomainError, ErrorCode, forbidden, invalidInput, notFound } from '../common/errors/domain-error';
import { normalizeMoney } from '../common/money';
import { Confirmation } from '../confirmations/confirmation.entity';
import { RemindersService } from '../reminders/reminders.service';
import { CaseSession } from '../sessions/session.entity';
import { User } from '../users/user.entity';
import { CaseAction, CONCLUDED_STATUSES, LIFECYCLE, OPEN_STATUSES, planTransition } from './case-lifecycle';
import { buildCaseFilter, buildCounterTotal, countableFromCounters } from './case-query';
import { CASE_RECORDS_SQL } from './case-records-sql';
import { caseSelectList, numberedCaseInsert } from './case-select';
import { CaseTransactionService } from './case-transaction.service';
import { revealFor, toAgreementView, toCaseView, toConfirmationView, toEventView, toSessionView } from './case-view';
import { AssignDto, ExtensionDto, NoteDto, ReasonDto } from './dto/case-actions.dto';
import { CreateCaseDto } from './dto/create-case.dto';
import { ListCasesQuery } from './dto/list-cases.query';
import { extendDeadline, mediationDeadline } from './deadlines';
import { CaseEvent } from './entities/case-event.entity';
import { Case } from './entities/case.entity';

const COURT_SOURCES = ['court_entrusted', 'court_assigned'];
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
  ) {}

  /** Intake: the case number comes from a per-workstation-and-year counter row, locked until commit, so numbers are gap-free. */
  async create(actor: AuthUser, dto: CreateCaseDto) {
    if (!canSeeWorkstation(actor, dto.workstationId)) throw forbidden('You may only take in cases for your own workstation');
    if (actor.role === Role.CourtClerk && !COURT_SOURCES.includes(dto.source)) {
      throw forbidden('Court clerks take in court-entrusted or court-assigned cases only');
    }
    const now = this.clock.now();
    const receivedAt = dto.receivedAt ? new Date(dto.receivedAt) : now;
    assertNotInFuture(receivedAt, now, 'receivedAt');
    if (dto.mediationDeadline && !COURT_SOURCES.includes(dto.source)) {
      throw invalidInput('mediationDeadline is set by the court: only for court_entrusted or court_assigned cases', { field: 'mediationDeadline' });
    }
    if (dto.simpleProcedure && dto.source !== 'court_entrusted') throw invalidInput('simpleProcedure applies to court_entrusted cases', { field: 'simpleProcedure' });
    const deadlineAt = mediationDeadline({ source: dto.source, receivedAt, simpleProcedure: dto.simpleProcedure, courtDeadline: dto.mediationDeadline });
    if (Number.isNaN(deadlineAt.getTime()) || deadlineAt <= receivedAt) throw invalidInput('mediationDeadline must be a valid date after receipt', { field: 'mediationDeadline' });

    return this.dataSource.transaction(async (em) => {
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
        applicantName: dto.applicant.name,
        applicantIdNumber: dto.applicant.idNumber ?? null,
        applicantPhone: dto.applicant.phone ?? null,
        respondentName: dto.respondent.name,
        respondentCreditCode: dto.respondent.creditCode ?? null,
        respondentPhone: dto.respondent.phone ?? null,
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
      if (!caseNumber) throw invalidInput('workstationId does not exist', { field: 'workstationId' });
      entity.caseNumber = caseNumber;
      await this.tx.appendEvent(em, entity.id, 'case_registered', actor.id, now, null, {
        caseNumber: entity.caseNumber,
        status: entity.status,
        source: entity.source,
        disputeType: entity.disputeType,
        claimAmount: entity.claimAmount,
        deadlineAt: entity.deadlineAt,
      });
      await this.reminders.caseOpened(em, entity, actor.id);
      return toCaseView(entity, revealFor(actor, entity));
    });
  }

  /**
   * Inserts the case numbered from its workstation's counter for the year (e.g. WS01-2026-000042)
   * in one statement, and returns the number; null when the workstation does not exist. The
   * counter row stays locked until commit (that is what keeps numbers gap-free), so intake takes
   * it in its first statement and runs as few as it can after it.
   */
  private async insertNumbered(em: EntityManager, entity: Case, year: number): Promise<string | null> {
    const { sql, columns } = numberedCaseInsert(em.connection);
    const rows: Array<{ case_number: string }> = await em.query(sql, [entity.workstationId, year, ...columns.map((c) => c.getEntityValue(entity))]);
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
    const { sessions, agreement, confirmation } = reviveDates(related) as {
      sessions: CaseSession[];
      agreement: (Agreement & { installments: Installment[] }) | null;
      confirmation: Confirmation | null;
    };
    return {
      ...toCaseView(c, revealFor(actor, c)),
      sessions: sessions.map(toSessionView),
      agreement: agreement ? toAgreementView(agreement, agreement.installments, this.clock.now()) : null,
      confirmation: confirmation ? toConfirmationView(confirmation, c.caseNumber) : null,
      // What this user may do with the case now (the web page shows exactly these actions).
      allowedActions: (Object.keys(LIFECYCLE) as CaseAction[]).filter((a) => planTransition(a, c.status, actor, c.mediatorId).ok),
    };
  }

  async events(actor: AuthUser, id: string) {
    await this.findVisible(actor, id);
    const events = await this.dataSource.manager.find(CaseEvent, { where: { caseId: id }, order: { id: 'ASC' } });
    return events.map(toEventView);
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
    return toEventView(event);
  }

  async fail(actor: AuthUser, id: string, dto: ReasonDto, expectedVersion?: number) {
    return this.conclude(actor, id, 'fail', 'case_failed', dto, expectedVersion);
  }

  async withdraw(actor: AuthUser, id: string, dto: ReasonDto, expectedVersion?: number) {
    return this.conclude(actor, id, 'withdraw', 'case_withdrawn', dto, expectedVersion);
  }

  private async conclude(actor: AuthUser, id: string, action: 'fail' | 'withdraw', event: string, dto: ReasonDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, action, expectedVersion, async ({ em, current, next, now }) => {
      // Sessions still booked will not take place.
      await em.query(`UPDATE case_sessions SET status = 'cancelled', updated_at = $2 WHERE case_id = $1 AND status = 'scheduled'`, [current.id, now]);
      const after = { ...current, status: next, concludedAt: now, outcomeReason: dto.reason };
      await this.reminders.caseConcluded(em, after as Case, actor.id);
      return {
        change: {
          event,
          set: { concludedAt: now, outcomeReason: dto.reason },
          before: { status: current.status },
          after: { status: next, reason: dto.reason },
        },
      };
    });
    return this.viewAfter(actor, updated);
  }

  async extend(actor: AuthUser, id: string, dto: ExtensionDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'extend_deadline', expectedVersion, async ({ em, current }) => {
      const deadlineAt = extendDeadline(current.deadlineAt, dto.days);
      await this.reminders.caseDeadlineMoved(em, { ...current, deadlineAt, overdue: false } as Case, actor.id);
      return {
        change: {
          event: 'deadline_extended',
          set: { deadlineAt, extensionDays: current.extensionDays + dto.days, overdue: false },
          before: { deadlineAt: current.deadlineAt, extensionDays: current.extensionDays, overdue: current.overdue },
          after: { deadlineAt, extensionDays: current.extensionDays + dto.days, overdue: false, days: dto.days, reason: dto.reason },
        },
      };
    });
    return this.viewAfter(actor, updated);
  }

  /** The workstation's mediators ranked by open caseload (fewest first), then experience with this dispute type. */
  async mediatorSuggestions(actor: AuthUser, id: string) {
    const c = await this.findVisible(actor, id);
    if (actor.role === Role.Mediator) throw forbidden('Only union staff assign mediators');
    const rows: Array<{ id: string; display_name: string; open_cases: number; same_type_cases: number; concluded_cases: number }> = await this.dataSource.query(
      `SELECT u.id, u.display_name,
              count(*) FILTER (WHERE k.status = ANY($3::varchar[]))::int AS open_cases,
              count(*) FILTER (WHERE k.dispute_type = $2 AND k.status = ANY($4::varchar[]))::int AS same_type_cases,
              count(*) FILTER (WHERE k.status = ANY($4::varchar[]))::int AS concluded_cases
         FROM users u
         LEFT JOIN cases k ON k.mediator_id = u.id
        WHERE u.workstation_id = $1 AND u.role = 'mediator' AND u.active
        GROUP BY u.id, u.display_name
        ORDER BY open_cases ASC, same_type_cases DESC, concluded_cases DESC, u.display_name ASC`,
      [c.workstationId, c.disputeType, OPEN_STATUSES, CONCLUDED_STATUSES],
    );
    return rows.map((r, i) => ({
      rank: i + 1,
      mediatorId: r.id,
      displayName: r.display_name,
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
