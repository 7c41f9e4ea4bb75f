import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { finalize, from, mergeMap, Observable } from 'rxjs';
import { AuthUser } from '../accounts-core/auth-user';
import type { ServerResponse } from 'node:http';
import { HEAVY_READ, HeavyReadChoice, heavyReadsBusy, HeavyReadSlots, SEARCH_START_MAX_WAIT_MS, tooManyHeavyReads } from './heavy-reads';
import { InteractiveRequests } from './interactive-requests';

interface HttpRequestLike {
  query?: Record<string, unknown>;
  user?: AuthUser;
}

/**
 * On the routes marked @HeavyRead: holds one of the user's slots and one of the instance's for as
 * long as the handler runs (a streamed export: until its last byte is written or the client goes
 * away). The user's limit answers 429 at once; the instance's lets the request wait its turn
 * briefly first. Runs after the auth guard, so the user is known. A heavy read is not an interactive
 * request: it leaves InteractiveRequests' count (the other requests it yields to).
 */
@Injectable()
export class HeavyReadsInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly slots: HeavyReadSlots,
    private readonly interactive: InteractiveRequests,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const choose = this.reflector.get<HeavyReadChoice | undefined>(HEAVY_READ, context.getHandler());
    const req = context.switchToHttp().getRequest<HttpRequestLike>();
    const kind = choose?.(req.query ?? {});
    if (!kind || !req.user) return next.handle();
    const reply = context.switchToHttp().getResponse<{ raw?: ServerResponse }>();
    if (reply.raw) this.interactive.exclude(reply.raw);
    const releaseOwn = this.slots.tryAcquire(req.user.id, kind);
    if (!releaseOwn) throw tooManyHeavyReads(kind);
    return from(
      this.slots.acquireShared(kind).catch((e: unknown) => {
        releaseOwn();
        throw e;
      }),
    ).pipe(
      mergeMap((releaseShared) => {
        if (!releaseShared) {
          releaseOwn();
          throw heavyReadsBusy(kind);
        }
        // A search starts in a gap between the interactive requests (bench `burst`), or after
        // SEARCH_START_MAX_WAIT_MS at the latest; an export yields while it runs (CaseExportService).
        const idle = kind === 'search' ? this.interactive.whenIdle(SEARCH_START_MAX_WAIT_MS) : null;
        return (idle ? from(idle).pipe(mergeMap(() => next.handle())) : next.handle()).pipe(
          finalize(() => {
            releaseShared();
            releaseOwn();
          }),
        );
      }),
    );
  }
}
