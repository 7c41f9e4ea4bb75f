import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT } from './idempotency-keys';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * The route honours an `Idempotency-Key` header (IdempotencyInterceptor): a retry with the same
 * key and body gets the first answer, with the same key and another body a 409. For POSTs where a
 * retry would do harm (a second case, a second payment, a second session).
 * The interceptor is the route's own, not a global one: the other routes do not pay for a
 * layer of interceptor that would only pass them through (issue 17).
 */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        'A key of the client\'s choice (1-255 visible ASCII characters, e.g. a UUID), kept 24 h per user. A retry with the same key and the same body ' +
        'returns the first answer (status and body, with `Idempotent-Replayed: true`) instead of doing it again; the same key with another body is a 409. ' +
        '幂等键：同一键同一请求体重试时返回首次结果，不会重复登记；同一键不同请求体返回 409。',
      schema: { type: 'string', minLength: 1, maxLength: 255, example: '7d0c6c1e-2f3a-4f8e-9d7a-1b2c3d4e5f60' },
    }),
  );
