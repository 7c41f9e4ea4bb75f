import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { defer, finalize, Observable } from 'rxjs';
import { AuthUser } from '../accounts-core/auth-user';
import { heavyReadKind, HeavyReadSlots, tooManyHeavyReads } from './heavy-reads';

interface HttpRequestLike {
  method: string;
  url: string;
  originalUrl?: string;
  query?: Record<string, unknown>;
  user?: AuthUser;
}

/**
 * Holds a slot of the user's heavy reads (HEAVY_READS) for as long as the handler runs (a streamed
 * export: until its last byte is written or the client goes away); 429 with Retry-After when none
 * is free. Runs after the auth guard, so the user is known.
 */
@Injectable()
export class HeavyReadsInterceptor implements NestInterceptor {
  constructor(private readonly slots: HeavyReadSlots) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<HttpRequestLike>();
    if (!req.user) return next.handle();
    const path = (req.originalUrl ?? req.url).split('?')[0];
    const kind = heavyReadKind(req.method, path, req.query ?? {});
    if (!kind) return next.handle();
    return defer(() => {
      const release = this.slots.tryAcquire(req.user!.id, kind);
      if (!release) throw tooManyHeavyReads(kind);
      return next.handle().pipe(finalize(release));
    });
  }
}
