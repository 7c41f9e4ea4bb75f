import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AuthUser } from '../accounts-core/auth-user';
import type { ServerResponse } from 'node:http';
import { HeavyReadGate } from './heavy-read-gate';
import { HEAVY_READ, HeavyReadChoice } from './heavy-reads';

interface HttpRequestLike {
  query?: Record<string, unknown>;
  user?: AuthUser;
}

/** On the routes marked @HeavyRead: the handler runs through HeavyReadGate. Runs after the auth guard, so the user is known. */
@Injectable()
export class HeavyReadsInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly gate: HeavyReadGate,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const choose = this.reflector.get<HeavyReadChoice | undefined>(HEAVY_READ, context.getHandler());
    const req = context.switchToHttp().getRequest<HttpRequestLike>();
    const kind = choose?.(req.query ?? {});
    if (!kind || !req.user) return next.handle();
    const reply = context.switchToHttp().getResponse<{ raw?: ServerResponse }>();
    return from(this.gate.run(req.user, kind, reply.raw, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
