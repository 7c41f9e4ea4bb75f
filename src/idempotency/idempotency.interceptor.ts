/**
 * There is no idempotency interceptor any more (issue 17: see idempotency.guard.ts and
 * idempotency-hooks.ts); the request fingerprint is in request-fingerprint.ts. This module is
 * kept for the import of webhook-events.spec.ts.
 */
export { canonicalJson } from './request-fingerprint';
