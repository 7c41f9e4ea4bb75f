import { Injectable } from '@nestjs/common';
import { AuthUser } from '../accounts-core/auth-user';
import { Role } from '../accounts-core/role.enum';
import { CaseEventsRepository } from '../case-core/case-events.repository';
import { COURT_SOURCES } from '../case-core/case-lifecycle';
import { CaseTransactionService } from '../case-core/case-transaction.service';
import { caseViewFor, toEventView } from '../case-core/case-view';
import { Case, HandOff } from '../case-core/case.entity';
import { deadlineDateOf } from '../case-core/statutory-periods';
import { addDays, endOfShanghaiDay } from '../common/business-time';
import { assertNotInFuture, conflict, DomainError, ErrorCode, invalidInput } from '../common/errors/domain-error';
import { AppConfigService } from '../config/app-config.service';
import { HolidaysService } from '../holidays/holidays.service';
import { workingDayOnOrAfter } from '../holidays/working-days';
import { RemindersService } from '../reminders/reminders.service';
import { User } from '../users/user.entity';
import { CaseConclusion } from './case-conclusion';
import { CasesService } from './cases.service';
import { AssignDto, ExtensionDto, FailureDto, NoteDto, ReasonDto } from './dto/case-actions.dto';

/** The course of a case in mediation: a mediator assigned, notes, the period extended, mediation failed or withdrawn. */
@Injectable()
export class CaseTransitionsService {
  constructor(
    private readonly tx: CaseTransactionService,
    private readonly cases: CasesService,
    private readonly events: CaseEventsRepository,
    private readonly conclusion: CaseConclusion,
    private readonly reminders: RemindersService,
    private readonly holidays: HolidaysService,
    private readonly config: AppConfigService,
  ) {}

  async assign(actor: AuthUser, id: string, dto: AssignDto, expectedVersion?: number) {
    const probe = await this.cases.findVisible(actor, id);
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
    return caseViewFor(actor, updated);
  }

  async addNote(actor: AuthUser, id: string, dto: NoteDto, expectedVersion?: number) {
    const { case: c } = await this.tx.mutate(id, actor, 'add_note', expectedVersion, async () => ({
      change: { event: 'note_added', eventOnly: true, after: { text: dto.text, contactedParty: dto.contactedParty ?? null } },
    }));
    const event = (await this.events.latestOfType(c.id, 'note_added'))!;
    return toEventView(event, actor.id === event.actorId ? ((await this.events.actorNames([actor.id])).get(actor.id) ?? null) : null);
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
    return caseViewFor(actor, updated);
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
      const after = { ...current, status: next, concludedAt: now, outcomeReason: dto.reason, handOff } as Case;
      await this.conclusion.concluded(em, after, actor.id, now);
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
    return caseViewFor(actor, updated);
  }

  async withdraw(actor: AuthUser, id: string, dto: ReasonDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'withdraw', expectedVersion, async ({ em, current, next, now }) => {
      const after = { ...current, status: next, concludedAt: now, outcomeReason: dto.reason } as Case;
      await this.conclusion.concluded(em, after, actor.id, now);
      return {
        change: {
          event: 'case_withdrawn',
          set: { concludedAt: now, outcomeReason: dto.reason },
          before: { status: current.status },
          after: { status: next, reason: dto.reason },
        },
      };
    });
    return caseViewFor(actor, updated);
  }
}
