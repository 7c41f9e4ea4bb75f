import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Case } from '../case-core/case.entity';
import { SessionsRepository } from '../case-core/sessions.repository';
import { RemindersService } from '../reminders/reminders.service';

/**
 * The one place of what follows when a case leaves mediation (an agreement, a failure, a
 * withdrawal, a void): the sessions still booked will not take place, and the reminders of the
 * mediation period stop. Called inside the change's transaction.
 */
@Injectable()
export class CaseConclusion {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly reminders: RemindersService,
  ) {}

  async concluded(em: EntityManager, after: Case, actorId: string, now: Date): Promise<void> {
    await this.sessions.cancelScheduled(em, after.id, now);
    await this.reminders.caseConcluded(em, after, actorId);
  }
}
