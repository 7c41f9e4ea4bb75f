import { AsyncLocalStorage } from 'node:async_hooks';
import { recordAppliedCase } from './idempotency.repository';
import type { TransactionQuery } from '../common/pg-reads';

/**
 * A request to an @Idempotent() route. Made by IdempotencyHooks before Nest's pipeline runs (the
 * store of `idempotentRequestContext` for all of it); `userId` and `key` are set by
 * IdempotencyGuard once this request holds the key, i.e. when it runs under an Idempotency-Key.
 */
export class IdempotentRequest {
  userId?: string;
  key?: string;
  /** The route's success status (what a replay answers with). */
  statusCode = 200;
  /** Transactions that already recorded the change (one update per transaction). */
  readonly markedIn = new WeakSet<object>();
  /** The answer was stored, or the key given up: nothing more to do for the key. */
  settled = false;

  /** Whether this request holds its key and has not settled it yet. */
  holdsKey(): this is IdempotentRequest & { userId: string; key: string } {
    return this.key !== undefined && !this.settled;
  }
}

export const idempotentRequestContext = new AsyncLocalStorage<IdempotentRequest>();

/**
 * Records, in the transaction of the case change itself, that the request under an
 * Idempotency-Key changed this case. Should the process die after the commit but before the
 * answer is stored, a retry with the key then learns that the change was made (and is not made
 * twice). A no-op outside an idempotent request (workers, requests without the header).
 */
export async function markIdempotentChange(em: TransactionQuery, caseId: string): Promise<void> {
  const [userId, key] = idempotentChangeToMark(em);
  if (userId !== null && key !== null) await recordAppliedCase(em, userId, key, caseId);
}

/**
 * The user and key that a change in the transaction `em` must record (markIdempotentChange), the
 * transaction then counted as having recorded it; [null, null] outside an idempotent request or
 * when `em` already did. For a statement that records it itself (appliedCaseCte).
 */
export function idempotentChangeToMark(em: object): [string, string] | [null, null] {
  const request = idempotentRequestContext.getStore();
  if (!request || request.key === undefined || request.userId === undefined || request.markedIn.has(em)) return [null, null];
  request.markedIn.add(em);
  return [request.userId, request.key];
}
