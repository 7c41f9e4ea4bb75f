import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Agreement, Installment } from '../agreements/agreement.entity';
import { Case } from '../cases/entities/case.entity';
import { Confirmation } from '../confirmations/confirmation.entity';
import { CaseSession } from '../sessions/session.entity';

/**
 * The hooks the case services call inside their transaction (with its EntityManager), so that
 * reminder rows (the outbox) and immediate notifications commit or roll back with the change.
 * `actorId` is the user making the change: nobody is notified of their own actions.
 */
@Injectable()
export class RemindersService {
  /** A case was taken in: plan the mediation-deadline reminder (3 days before) and the overdue check. */
  async caseOpened(_em: EntityManager, _c: Case, _actorId: string): Promise<void> {}

  /** The mediation deadline moved (extension): re-plan its reminders. */
  async caseDeadlineMoved(_em: EntityManager, _c: Case, _actorId: string): Promise<void> {}

  /** A mediator was assigned or replaced: tell the new mediator. */
  async caseAssigned(_em: EntityManager, _c: Case, _previousMediatorId: string | null, _actorId: string): Promise<void> {}

  /** Mediation ended (agreement, failure, withdrawal): cancel pending deadline and session reminders. */
  async caseConcluded(_em: EntityManager, _c: Case, _actorId: string): Promise<void> {}

  /** A session was booked: reminders 24 h and 1 h before (none whose time has passed). */
  async sessionScheduled(_em: EntityManager, _c: Case, _s: CaseSession, _actorId: string): Promise<void> {}

  /** A session moved, was cancelled, held or missed: move or cancel its reminders. */
  async sessionChanged(_em: EntityManager, _c: Case, _s: CaseSession, _actorId: string): Promise<void> {}

  /** An agreement took effect: confirmation-application reminders (days 20 and 27) and installment reminders. */
  async agreementRecorded(_em: EntityManager, _c: Case, _a: Agreement, _installments: Installment[], _actorId: string): Promise<void> {}

  /** Judicial confirmation was requested: cancel application reminders; clerk reminder on day 10, overdue at day 15. */
  async confirmationRequested(_em: EntityManager, _c: Case, _conf: Confirmation, _actorId: string): Promise<void> {}

  /** The court ruled: cancel ruling reminders; tell the mediator. */
  async confirmationRuled(_em: EntityManager, _c: Case, _conf: Confirmation, _actorId: string): Promise<void> {}

  /** An installment was paid: cancel its reminders. */
  async installmentPaid(_em: EntityManager, _c: Case, _i: Installment, _actorId: string): Promise<void> {}
}
