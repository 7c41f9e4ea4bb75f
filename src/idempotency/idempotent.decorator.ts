import { applyDecorators, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { ApiHeader } from '@nestjs/swagger';
import { IDEMPOTENT_ROUTE_CONFIG } from './idempotency-hooks';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT } from './idempotency-keys';
import { IdempotencyGuard } from './idempotency.guard';
import { IdempotentReplayFilter } from './idempotent-replay';

/** Adds `{ idempotent: true }` to the route's Fastify config (keeping a @RouteConfig given below it). */
const IdempotentRouteConfig = (): MethodDecorator => (_target, _key, descriptor) => {
  const handler = descriptor.value as object;
  const config = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as Record<string, unknown> | undefined) ?? {};
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, [IDEMPOTENT_ROUTE_CONFIG]: true }, handler);
  return descriptor;
};

/**
 * The route honours an `Idempotency-Key` header: a retry with the same key and body gets the first
 * answer, with the same key and another body a 409. For POSTs where a retry would do harm (a
 * second case, a second payment, a second session). The one place that says which routes do.
 *
 * What it puts on the route (issue 17: no Nest interceptor, whose RxJS pipeline every request of
 * the route would pay for): IdempotencyGuard (claims the key or finds the first answer, after the
 * global AuthGuard), IdempotentReplayFilter (sends that answer), and the Fastify route config by
 * which IdempotencyHooks give the route its hooks (the request's context, the answer stored or
 * the key given up). A @RouteConfig above this decorator would replace that config: put it below.
 */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    IdempotentRouteConfig(),
    UseGuards(IdempotencyGuard),
    UseFilters(IdempotentReplayFilter),
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
