import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { canSeeCase } from '../auth/scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, notFound } from '../common/errors/domain-error';
import { RETRY_AFTER_LOCKED_SECONDS } from '../common/errors/unavailable';
import { insertCaseEvent } from './case-events';
import { CaseAction, CaseStatus, planTransition } from './case-lifecycle';
import { Case } from './entities/case.entity';

/** How long a case mutation waits for the case's row lock. */
export const CASE_LOCK_TIMEOUT = '1s';

/** Mutations of one case allowed to wait for its lock at once in this process; more get CASE_BUSY at once. */
export const MAX_WRITERS_PER_CASE = 3;

export function caseBusy(): DomainError {
  return new DomainError(ErrorCode.CaseBusy, 'The case is being changed by someone else: retry shortly', { retryAfter: RETRY_AFTER_LOCKED_SECONDS }, '该案件正被他人修改，请稍后重试');
}

export interface CaseChange {
  /** Timeline event type, e.g. 'mediator_assigned'. */
  event: string;
  /** Case columns to set (by entity property); status comes from the lifecycle. */
  set?: Partial<Case>;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Only write the event, leave the case row (and its version) alone. */
  eventOnly?: boolean;
}

export interface MutationContext {
  em: EntityManager;
  /** The case as locked (FOR UPDATE), before the change. */
  current: Case;
  /** The state the lifecycle allows for this action. */
  next: CaseStatus;
  now: Date;
}

/**
 * Every change to a case goes through `mutate`: one transaction, the case row locked, scope and
 * lifecycle checked, the version compared, the change applied with
 * `UPDATE ... WHERE id = $1 AND version = $2` (row count checked), and the timeline event appended.
 */
@Injectable()
export class CaseTransactionService {
  /** Mutations of each case under way in this process. */
  private readonly writersByCase = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async mutate<R>(
    caseId: string,
    actor: AuthUser,
    action: CaseAction,
    expectedVersion: number | undefined,
    apply: (ctx: MutationContext) => Promise<{ change: CaseChange; result?: R }>,
  ): Promise<{ case: Case; result?: R }> {
    // Writers piling onto one case wait for its lock holding a pooled connection each: past a
    // few, they are told to retry at once, so that the pool stays free for everyone else.
    const waiting = this.writersByCase.get(caseId) ?? 0;
    if (waiting >= MAX_WRITERS_PER_CASE) throw caseBusy();
    this.writersByCase.set(caseId, waiting + 1);
    try {
      return await this.dataSource.transaction(async (em) => {
        const current = await this.lockVisible(em, caseId, actor);
        return this.mutateLocked(em, current, actor, action, expectedVersion, apply);
      });
    } finally {
      const left = (this.writersByCase.get(caseId) ?? 1) - 1;
      if (left > 0) this.writersByCase.set(caseId, left);
      else this.writersByCase.delete(caseId);
    }
  }

  /** The body of `mutate`, for services that lock the case themselves (e.g. to answer a repeated request first). */
  async mutateLocked<R>(
    em: EntityManager,
    current: Case,
    actor: AuthUser,
    action: CaseAction,
    expectedVersion: number | undefined,
    apply: (ctx: MutationContext) => Promise<{ change: CaseChange; result?: R }>,
  ): Promise<{ case: Case; result?: R }> {
    const plan = planTransition(action, current.status, actor, current.mediatorId);
    if (!plan.ok) {
      if (plan.reason === 'role_not_allowed') throw new DomainError(ErrorCode.Forbidden, `Your role may not ${action.replace(/_/g, ' ')}`);
      if (plan.reason === 'not_assigned_mediator') throw notFound('Case');
      throw new DomainError(ErrorCode.InvalidTransition, `Cannot ${action.replace(/_/g, ' ')} a case in state ${current.status}`, {
        status: current.status,
        version: current.version,
      });
    }
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new DomainError(ErrorCode.StaleVersion, `Case was changed meanwhile: version is ${current.version}, you sent ${expectedVersion}`, {
        version: current.version,
        status: current.status,
      });
    }
    const now = this.clock.now();
    const { change, result } = await apply({ em, current, next: plan.to, now });
    const updated = change.eventOnly ? current : await this.applyChange(em, current, { ...change.set, status: plan.to }, now);
    await this.appendEvent(em, current.id, change.event, actor.id, now, change.before ?? null, change.after ?? null);
    return { case: updated, result };
  }

  /**
   * Locks the case row; a case outside the user's scope does not exist for them (404). The wait
   * for the lock is short (CASE_LOCK_TIMEOUT): writers queued behind a slow transaction give up
   * with 409 CASE_BUSY and Retry-After instead of holding the connection pool from everyone else.
   */
  async lockVisible(em: EntityManager, caseId: string, actor: AuthUser): Promise<Case> {
    await em.query(`SET LOCAL lock_timeout = '${CASE_LOCK_TIMEOUT}'`);
    const current = await em.getRepository(Case).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id: caseId }).getOne();
    if (!current || !canSeeCase(actor, current)) throw notFound('Case');
    return current;
  }

  async applyChange(em: EntityManager, current: Case, set: Partial<Case>, now: Date): Promise<Case> {
    const result = await em
      .createQueryBuilder()
      .update(Case)
      .set({ ...set, updatedAt: now, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: current.id, version: current.version })
      .execute();
    if (result.affected !== 1) {
      throw new DomainError(ErrorCode.StaleVersion, 'Case was changed meanwhile', { version: current.version + 1 });
    }
    return em.getRepository(Case).create({ ...current, ...set, updatedAt: now, version: current.version + 1 });
  }

  /** Appends one timeline event (see insertCaseEvent). */
  appendEvent(em: EntityManager, caseId: string, type: string, actorId: string | null, at: Date, before: Record<string, unknown> | null, after: Record<string, unknown> | null): Promise<string> {
    return insertCaseEvent(em, caseId, type, actorId, at, before, after);
  }
}
