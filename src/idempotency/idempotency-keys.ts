/** Metadata key of @Idempotent() routes. */
export const IDEMPOTENT = 'idempotency:enabled';
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
