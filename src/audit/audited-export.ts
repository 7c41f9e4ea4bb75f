import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import { AuthUser } from '../accounts-core/auth-user';
import { AuditAction } from './audit-actions';
import { AuditService } from './audit.service';

/** Filters an export names, as the audit keeps them (recorded before validation: known keys only, clean text). */
const EXPORT_FILTER_KEYS = ['status', 'workstationId', 'mediatorId', 'disputeType', 'overdue', 'receivedFrom', 'receivedTo', 'from', 'to', 'interval', 'by'];

export function exportFilters(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of EXPORT_FILTER_KEYS) {
    const v = query[key];
    if (typeof v === 'string') out[key] = v.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 100);
  }
  // Search text is personal data: the audit says a search was filtered, not what was typed.
  if (query.q !== undefined) out.q = '[redacted]';
  return out;
}

const EXPORT_ACTION = Symbol('auditedExport');

/** Records the export (who, its filters) when it starts, after the guards and before validation. */
@Injectable()
export class ExportAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<AuditAction | undefined>(EXPORT_ACTION, context.getHandler());
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const user = req.user;
    if (!action || !user) return next.handle();
    const details = { path: req.routeOptions.url, filters: exportFilters(req.query as Record<string, unknown>) };
    return from(this.audit.record(null, { actor: user, action, ip: req.ip || null, details })).pipe(switchMap(() => next.handle()));
  }
}

/**
 * The route is an export, recorded in the audit when it starts. Route-scoped (issue 17: a global
 * interceptor costs every request Nest's RxJS pipeline). Put it below @HeavyRead, so that it runs
 * first, as the global audit interceptor did.
 */
export const AuditedExport = (action: AuditAction) => applyDecorators(SetMetadata(EXPORT_ACTION, action), UseInterceptors(ExportAuditInterceptor));
