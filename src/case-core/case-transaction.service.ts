import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../accounts-core/auth-user';
import { canSeeCase } from '../accounts-core/scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, notFound } from '../common/errors/domain-error';
import { RETRY_AFTER_LOCKED_SECONDS } from '../common/errors/unavailable';
import { insertCaseEvent } from './case-events';
import { CaseAction, CaseStatus, isConcluded, planTransition, WRONG_SOURCE_MESSAGES } from './case-lifecycle';
import { CASE_ACTION, CASE_STATUS } from '../labels/labels';
import { Case } from './case.entity';
import { CasesRepository } from './cases.repository';
import type { TransactionQuery } from '../common/pg-reads';

/** How long a case mutation waits for the case's row lock (and for its turn in this process). */
export const CASE_LOCK_TIMEOUT_MS = 1000;
const CASE_LOCK_TIMEOUT = `${CASE_LOCK_TIMEOUT_MS}ms`;

/** Mutations of one case that may wait for its row lock at once in this process (each holds a connection); more wait in memory. */
export const MAX_WRITERS_PER_CASE = 3;

export function caseBusy(): DomainError {
  return new DomainError(ErrorCode.CaseBusy, 'The case is being changed by someone else: retry shortly', { retryAfter: RETRY_AFTER_LOCKED_SECONDS }, '该案件正被他人修改，请稍后重试');
}

/** At most `limit` holders per key; others queue (in memory) until a holder leaves, or give up after `waitMs`. */
export class PerKeyGate {
  private readonly slots = new Map<string, { active: number; waiters: Array<() => void> }>();

  constructor(
    private readonly limit: number,
    private readonly busy: () => Error,
  ) {}

  async acquire(key: string, waitMs: number): Promise<void> {
    const slot = this.slots.get(key) ?? { active: 0, waiters: [] };
    this.slots.set(key, slot);
    if (slot.active < this.limit) {
      slot.active += 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = slot.waiters.indexOf(turn);
        if (i >= 0) slot.waiters.splice(i, 1);
        reject(this.busy());
      }, waitMs);
      slot.waiters.push(turn);
    });
  }

  /** Hands the place to the next waiter, or frees it. */
  release(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    const next = slot.waiters.shift();
    if (next) return next();
    slot.active -= 1;
    if (slot.active <= 0) this.slots.delete(key);
  }
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
  private readonly writers = new PerKeyGate(MAX_WRITERS_PER_CASE, caseBusy);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CasesRepository,
    private readonly clock: Clock,
  ) {}

  async mutate<R>(
    caseId: string,
    actor: AuthUser,
    action: CaseAction,
    expectedVersion: number | undefined,
    apply: (ctx: MutationContext) => Promise<{ change: CaseChange; result?: R }>,
  ): Promise<{ case: Case; result?: R }> {
    // Writers piling onto one case would each hold a pooled connection while waiting for its
    // lock: a few at a time go to the database, the rest wait here (no connection held), and
    // whoever is not through within the lock timeout is told to retry (CASE_BUSY).
    await this.writers.acquire(caseId, CASE_LOCK_TIMEOUT_MS);
    try {
      return await this.dataSource.transaction(async (em) => {
        const current = await this.lockVisible(em, caseId, actor);
        return this.mutateLocked(em, current, actor, action, expectedVersion, apply);
      });
    } finally {
      this.writers.release(caseId);
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
    const plan = planTransition(action, current.status, actor, current.mediatorId, current.source);
    if (!plan.ok) {
      if (plan.reason === 'role_not_allowed') {
        if (action === 'correct' && isConcluded(current.status)) {
          throw new DomainError(ErrorCode.Forbidden, 'Only an admin corrects a concluded case', undefined, '已结案的案件只能由系统管理员更正');
        }
        throw new DomainError(ErrorCode.Forbidden, `Your role may not ${action.replace(/_/g, ' ')}`, undefined, `您的角色无权${CASE_ACTION[action].zh}`);
      }
      if (plan.reason === 'not_assigned_mediator') throw notFound('Case');
      if (plan.reason === 'wrong_source') {
        const why = WRONG_SOURCE_MESSAGES[action];
        throw new DomainError(
          ErrorCode.InvalidTransition,
          why?.en ?? `Cannot ${action.replace(/_/g, ' ')} a case of source ${current.source}`,
          { status: current.status, source: current.source, version: current.version },
          why?.zh,
        );
      }
      throw new DomainError(
        ErrorCode.InvalidTransition,
        `Cannot ${action.replace(/_/g, ' ')} a case in state ${current.status}`,
        { status: current.status, version: current.version },
        `案件当前状态为“${CASE_STATUS[current.status].zh}”，不能${CASE_ACTION[action].zh}`,
      );
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
    const current = await this.cases.lock(em, caseId, CASE_LOCK_TIMEOUT);
    if (!current || !canSeeCase(actor, current)) throw notFound('Case');
    return current;
  }

  async applyChange(em: EntityManager, current: Case, set: Partial<Case>, now: Date): Promise<Case> {
    if (!(await this.cases.updateVersioned(em, current, set, now))) {
      throw new DomainError(ErrorCode.StaleVersion, 'Case was changed meanwhile', { version: current.version + 1 });
    }
    return em.getRepository(Case).create({ ...current, ...set, updatedAt: now, version: current.version + 1 });
  }

  /** Appends one timeline event (see insertCaseEvent). */
  appendEvent(em: TransactionQuery, caseId: string, type: string, actorId: string | null, at: Date, before: Record<string, unknown> | null, after: Record<string, unknown> | null): Promise<string> {
    return insertCaseEvent(em, caseId, type, actorId, at, before, after);
  }
}
