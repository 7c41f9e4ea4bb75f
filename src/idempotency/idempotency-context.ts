import { AsyncLocalStorage } from 'node:async_hooks';
import { recordAppliedCase } from './idempotency.repository';
import type { TransactionQuery } from '../common/pg-reads';

/** The request being served under an `Idempotency-Key` (set by IdempotencyInterceptor around the handler). */
export interface IdempotentRequest {
  userId: string;
  key: string;
  /** Transactions that already recorded the change (one update per transaction). */
  markedIn: WeakSet<TransactionQuery>;
}

export const idempotentRequestContext = new AsyncLocalStorage<IdempotentRequest>();

/**
 * Records, in the transaction of the case change itself, that the request under an
 * Idempotency-Key changed this case. Should the process die after the commit but before the
 * answer is stored, a retry with the key then learns that the change was made (and is not made
 * twice). A no-op outside an idempotent request (workers, requests without the header).
 */
export async function markIdempotentChange(em: TransactionQuery, caseId: string): Promise<void> {
  const request = idempotentRequestContext.getStore();
  if (!request || request.markedIn.has(em)) return;
  request.markedIn.add(em);
  await recordAppliedCase(em, request.userId, request.key, caseId);
}
