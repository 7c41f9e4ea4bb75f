import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../accounts-core/auth-user';
import { DomainError, ErrorCode, invalidInput, notFound } from '../common/errors/domain-error';
import { CaseTransactionService } from '../case-core/case-transaction.service';
import { toSessionView } from '../case-core/case-view';
import { Case } from '../case-core/case.entity';
import { SessionsRepository } from '../case-core/sessions.repository';
import { RemindersService } from '../reminders/reminders.service';
import { ScheduleSessionDto, UpdateSessionDto } from './session.dto';

const YEAR_MS = 365 * 24 * 3600 * 1000;

@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tx: CaseTransactionService,
    private readonly sessions: SessionsRepository,
    private readonly reminders: RemindersService,
  ) {}

  async schedule(actor: AuthUser, caseId: string, dto: ScheduleSessionDto, expectedVersion?: number) {
    const scheduledAt = new Date(dto.scheduledAt);
    const { result } = await this.tx.mutate(caseId, actor, 'schedule_session', expectedVersion, async ({ em, current, now }) => {
      if (scheduledAt < current.receivedAt) throw invalidInput('scheduledAt is before the case was received', { field: 'scheduledAt' });
      if (scheduledAt.getTime() > now.getTime() + YEAR_MS) throw invalidInput('scheduledAt is more than a year ahead', { field: 'scheduledAt' });
      const session = await this.sessions.insert(em, { caseId: current.id, scheduledAt, mode: dto.mode, location: dto.location ?? null, status: 'scheduled', notes: null, createdBy: actor.id, createdAt: now, updatedAt: now });
      await this.reminders.sessionScheduled(em, current, session, actor.id);
      return {
        change: { event: 'session_scheduled', after: { sessionId: session.id, scheduledAt, mode: dto.mode, location: dto.location ?? null } },
        result: session,
      };
    });
    return toSessionView(result!);
  }

  /** Record a session as held (the first one starts mediation), missed or cancelled; move it; or add notes. */
  async update(actor: AuthUser, sessionId: string, dto: UpdateSessionDto, expectedVersion?: number) {
    if (dto.status === undefined && dto.notes === undefined && dto.scheduledAt === undefined) throw invalidInput('Nothing to change: send status, notes or scheduledAt');
    if (dto.status && dto.scheduledAt) throw invalidInput('Send either a new status or a new time, not both', { field: 'scheduledAt' });
    return this.dataSource.transaction(async (em) => {
      const found = await this.sessions.findById(em, sessionId);
      if (!found) throw notFound('Session');
      const current = await this.tx.lockVisible(em, found.caseId, actor).catch(() => {
        throw notFound('Session');
      });
      const session = await this.sessions.lock(em, sessionId);

      const action = dto.status === 'held' ? 'hold_session' : 'update_session';
      const { result } = await this.tx.mutateLocked(em, current, actor, action, expectedVersion, async ({ now }) => {
        const before = { status: session.status, scheduledAt: session.scheduledAt, notes: session.notes };
        if (dto.status || dto.scheduledAt) {
          if (session.status !== 'scheduled') {
            throw new DomainError(ErrorCode.InvalidTransition, `Session is already ${session.status}`, { sessionStatus: session.status, version: current.version });
          }
        }
        let event = 'session_notes_updated';
        if ((dto.status === 'held' || dto.status === 'no_show') && now.getTime() < session.scheduledAt.getTime()) {
          throw new DomainError(
            ErrorCode.InvalidTransition,
            `The session is scheduled for ${session.scheduledAt.toISOString()}: it can be marked ${dto.status} only from then on (before, move or cancel it)`,
            { sessionStatus: session.status, scheduledAt: session.scheduledAt, version: current.version },
            '调解尚未到安排的时间，不能记录为已调解或当事人未到场；可以改期或取消',
          );
        }
        if (dto.status) {
          session.status = dto.status;
          event = { held: 'session_held', cancelled: 'session_cancelled', no_show: 'session_no_show' }[dto.status];
        }
        if (dto.scheduledAt) {
          const at = new Date(dto.scheduledAt);
          if (at < current.receivedAt) throw invalidInput('scheduledAt is before the case was received', { field: 'scheduledAt' });
          if (at.getTime() > now.getTime() + YEAR_MS) throw invalidInput('scheduledAt is more than a year ahead', { field: 'scheduledAt' });
          session.scheduledAt = at;
          event = 'session_rescheduled';
        }
        if (dto.notes !== undefined) session.notes = dto.notes;
        session.updatedAt = now;
        await this.sessions.save(em, session);
        if (dto.status || dto.scheduledAt) await this.reminders.sessionChanged(em, current as Case, session, actor.id);
        return {
          change: {
            event,
            before: { sessionId: session.id, ...before },
            after: { sessionId: session.id, status: session.status, scheduledAt: session.scheduledAt, notes: session.notes },
          },
          result: session,
        };
      });
      return toSessionView(result!);
    });
  }

}
