import { Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import { idempotentRequestContext, IdempotentRequest } from './idempotency-context';
import { IdempotencyRepository } from './idempotency.repository';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-keys';

/** The route config flag that @Idempotent() sets (Fastify route config, read when the route is registered). */
export const IDEMPOTENT_ROUTE_CONFIG = 'idempotent';

const REQUEST = Symbol('idempotentRequest');
type WithIdempotentRequest = FastifyRequest & { [REQUEST]?: IdempotentRequest };

/** The IdempotentRequest of a request to an @Idempotent() route (undefined on any other route). */
export function idempotentRequestOf(req: object): IdempotentRequest | undefined {
  return (req as WithIdempotentRequest)[REQUEST];
}

type Done = (err: Error | null, payload?: unknown) => void;

/**
 * The Fastify side of Idempotency-Key (IdempotencyGuard claims the key and answers replays):
 *  - a preHandler of each @Idempotent() route makes the IdempotentRequest of a request sent with
 *    the header and runs the route (Nest's guards, pipes and handler) in its context, so that the
 *    case change's own transaction can mark the key (markIdempotentChange);
 *  - a preSerialization hook stores the handler's answer (as JSON of what it returned) before
 *    anything else sees it: registered before IdentityViewAudit's, so that an answer whose audit
 *    record fails is stored all the same (the change was made: a retry gets it);
 *  - an onSend hook of each @Idempotent() route settles what preSerialization did not see: an
 *    error answer gives the key up (unless the change was made: see release), an answer that was
 *    not an object (none, a string) is stored. Both before the answer is written.
 *
 * Hooks rather than a Nest interceptor (issue 17): an interceptor puts every request of the route
 * through Nest's RxJS pipeline (some 5% of an intake's CPU). Routes without @Idempotent() get no
 * route hook; they pass the shared preSerialization hook, which returns at once.
 */
@Injectable()
export class IdempotencyHooks {
  private readonly logger = new Logger('IdempotencyHooks');

  constructor(private readonly keys: IdempotencyRepository) {}

  /** Before the routes are registered (Nest registers them at init) and before IdentityViewAudit's hook. */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route: RouteOptions) => {
      if (!(route.config as Record<string, unknown> | undefined)?.[IDEMPOTENT_ROUTE_CONFIG]) return;
      route.preHandler = [...hooksOf(route.preHandler), enterIdempotentRequest];
      route.onSend = [...hooksOf(route.onSend), this.settleOnSend];
    });
    fastify.addHook('preSerialization', this.storeAnswer);
  }

  private readonly storeAnswer = (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done): void => {
    const request = (req as WithIdempotentRequest)[REQUEST];
    // Error answers (AllExceptionsFilter's) are strings and never get here; the status check is a safeguard.
    if (request === undefined || !request.holdsKey() || reply.statusCode >= 400) return done(null, payload);
    this.complete(request, payload).then(() => done(null, payload), done);
  };

  private readonly settleOnSend = (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done): void => {
    const request = (req as WithIdempotentRequest)[REQUEST];
    if (request === undefined || !request.holdsKey()) return done(null, payload);
    const settled = reply.statusCode >= 400 ? this.release(request) : this.complete(request, payload);
    settled.then(() => done(null, payload), done);
  };

  /** The change is made: the client gets its answer even if storing it fails (a retry then learns it was applied). */
  private async complete(request: IdempotentRequest & { userId: string; key: string }, body: unknown): Promise<void> {
    request.settled = true;
    let json: string | null;
    try {
      json = body === undefined ? null : JSON.stringify(body);
    } catch (e) {
      await this.release(request);
      throw e;
    }
    await this.keys.complete(request.userId, request.key, request.statusCode, json).catch((e) => this.logger.warn(`storing an idempotent answer failed: ${(e as Error).message}`));
  }

  /** The request failed: give the key up (a no-op once its change was made: the repository keeps such keys). */
  private async release(request: IdempotentRequest & { userId: string; key: string }): Promise<void> {
    request.settled = true;
    await this.keys.release(request.userId, request.key).catch(() => undefined);
  }
}

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}

const KEY_HEADER = IDEMPOTENCY_KEY_HEADER.toLowerCase();

/**
 * Runs the rest of a request sent with an Idempotency-Key (Nest's guards, pipes, handler) in a new
 * IdempotentRequest's context. One without the header is left alone (as IdempotencyGuard leaves
 * it): it does not pay for a context it would not use.
 */
function enterIdempotentRequest(req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (req.headers[KEY_HEADER] === undefined) return done();
  const request = new IdempotentRequest();
  (req as WithIdempotentRequest)[REQUEST] = request;
  idempotentRequestContext.run(request, done);
}
