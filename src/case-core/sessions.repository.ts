import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CaseSession } from './session.entity';

/** The SQL of the mediation sessions (`case_sessions`). */
@Injectable()
export class SessionsRepository {
  insert(em: EntityManager, values: Omit<CaseSession, 'id'>): Promise<CaseSession> {
    return em.save(CaseSession, em.create(CaseSession, values));
  }

  findById(em: EntityManager, id: string): Promise<CaseSession | null> {
    return em.findOne(CaseSession, { where: { id } });
  }

  /** The session row locked FOR UPDATE in the caller's transaction (its case is locked first). */
  lock(em: EntityManager, id: string): Promise<CaseSession> {
    return em.getRepository(CaseSession).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id }).getOneOrFail();
  }

  save(em: EntityManager, session: CaseSession): Promise<CaseSession> {
    return em.save(CaseSession, session);
  }

  /** Every session of the case still booked is cancelled (see CaseConclusion for when). */
  async cancelScheduled(em: EntityManager, caseId: string, now: Date): Promise<void> {
    await em.query(`UPDATE case_sessions SET status = 'cancelled', updated_at = $2 WHERE case_id = $1 AND status = 'scheduled'`, [caseId, now]);
  }
}
