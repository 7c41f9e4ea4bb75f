import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../accounts-core/auth-user';
import { Role } from '../accounts-core/role.enum';
import { canSeeWorkstation } from '../accounts-core/scope';
import { COURT_SOURCES } from '../case-core/case-lifecycle';
import { caseViewFor } from '../case-core/case-view';
import { Case } from '../case-core/case.entity';
import { deadlineDateOf, mediationDeadline } from '../case-core/statutory-periods';
import { endOfShanghaiDay, isValidCalendarDate, shanghaiYear } from '../common/business-time';
import { Clock } from '../common/clock';
import { assertNotInFuture, forbidden, invalidInput } from '../common/errors/domain-error';
import { normalizeMoney } from '../common/money';
import { PgReads } from '../common/pg-reads';
import { HolidaysService } from '../holidays/holidays.service';
import { idempotentChangeToMark } from '../idempotency/idempotency-context';
import { workingDayOnOrAfter } from '../holidays/working-days';
import { RemindersService } from '../reminders/reminders.service';
import { partiesOf } from './case-parties';
import { CreateCaseDto } from './dto/create-case.dto';
import { intakeStatement } from './intake-statement';

const YEAR_MS = 366 * 24 * 3600 * 1000;

/** Intake (登记受理): a new case, numbered, with its mediation deadline and its reminders. */
@Injectable()
export class CaseIntakeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reminders: RemindersService,
    private readonly clock: Clock,
    private readonly holidays: HolidaysService,
    private readonly pg: PgReads,
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
    // Only a court case's deadline needs the holiday calendar (a promise); the others' is computed here.
    const deadline = this.intakeDeadline(dto, receivedAt);
    const deadlineAt = deadline instanceof Date ? deadline : await deadline;

    // The row as a plain object of the entity's shape (every column set): what
    // `manager.create(Case, ...)` built, without TypeORM's per-column transformer (issue 17).
    const entity: Case = {
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
      applicantName: parties.applicantName,
      applicantIdNumber: parties.applicantIdNumber,
      applicantPhone: parties.applicantPhone,
      respondentName: parties.respondentName,
      respondentCreditCode: parties.respondentCreditCode,
      respondentPhone: parties.respondentPhone,
      applicantKind: parties.applicantKind,
      applicantCreditCode: parties.applicantCreditCode,
      applicantAddress: parties.applicantAddress,
      applicantAgent: parties.applicantAgent,
      respondentIdNumber: parties.respondentIdNumber,
      respondentAddress: parties.respondentAddress,
      respondentAgent: parties.respondentAgent,
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
    };
    // The case, its timeline event (`{caseNumber, ...after}`: the statement adds the number) with
    // its webhook outbox rows, its reminders and the Idempotency-Key's mark, in one statement
    // (intake-statement.ts): alone, one round trip; in a conversion from a consultation, inside
    // the conversion's transaction.
    const { sql, params } = intakeStatement(this.dataSource);
    const values = params(entity, {
      year: shanghaiYear(receivedAt),
      event: {
        type: 'case_registered',
        actorId: actor.id,
        at: now,
        before: null,
        after: {
          status: entity.status,
          source: entity.source,
          disputeType: entity.disputeType,
          claimAmount: entity.claimAmount,
          deadlineAt: entity.deadlineAt,
          deadlineDate: deadlineDateOf(entity.deadlineAt),
          applicantKind: entity.applicantKind,
          ...extraEvent,
        },
      },
      plans: this.reminders.openingPlans(entity),
      // Alone, the statement is its own transaction (a new object stands for it).
      idempotency: idempotentChangeToMark(outer ?? {}),
    });
    const rows: Array<{ case_number: string }> = outer ? await outer.query(sql, values) : await this.pg.statement(sql, values);
    if (!rows.length) throw invalidInput('workstationId does not exist', { field: 'workstationId' }, '工作室不存在');
    entity.caseNumber = rows[0].case_number;
    return caseViewFor(actor, entity);
  }

  /**
   * The mediation deadline at intake: the court's date (a real calendar date within a year of
   * receipt), or the period of the source; a court's period whose last day is a rest day or a
   * holiday ends on the next working day (Civil Procedure Law art. 85).
   */
  private intakeDeadline(dto: CreateCaseDto, receivedAt: Date): Date | Promise<Date> {
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
    return this.holidays.calendar().then((calendar) => endOfShanghaiDay(workingDayOnOrAfter(deadlineDateOf(deadlineAt), calendar)));
  }
}
