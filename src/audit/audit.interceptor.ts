import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import { AuthUser } from '../accounts-core/auth-user';
import { AuditAction } from './audit-actions';
import { AuditService } from './audit.service';

/** Exports of other modules' routes, recorded when they start (route template as Fastify knows it). */
const EXPORT_ROUTES: Record<string, AuditAction> = {
  'GET /api/v1/cases/export.csv': 'case.exported',
  'GET /api/v1/cases/export.xlsx': 'case.exported',
  'GET /api/v1/stats/report.pdf': 'stats.exported',
  'GET /api/v1/stats/report.xlsx': 'stats.exported',
};

interface CaseLike {
  id?: unknown;
  caseNumber?: unknown;
  applicant?: { idNumber?: unknown };
  respondent?: { idNumber?: unknown };
}

/** A whole (unmasked) identity number in a case as answered. */
function showsWholeIdentity(c: CaseLike): boolean {
  const whole = (v: unknown) => typeof v === 'string' && v.length > 0 && !v.includes('*');
  return whole(c.applicant?.idNumber) || whole(c.respondent?.idNumber);
}

/** The cases of an answer (one case, or a list's items) that show an identity number whole. */
export function casesShowingIdentity(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const candidates: CaseLike[] = Array.isArray(body) ? body : Array.isArray((body as { items?: unknown }).items) ? (body as { items: CaseLike[] }).items : [body as CaseLike];
  return candidates.filter((c) => c && typeof c === 'object' && typeof c.id === 'string' && c.caseNumber !== undefined && showsWholeIdentity(c)).map((c) => c.id as string);
}

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

/**
 * Records, for every route of the app:
 * - each answer that shows a whole identity number (who, which case, when), before it is sent:
 *   if the record cannot be written the answer is not sent;
 * - each export, with its filters, when it starts.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const user = req.user;
    if (!user) return next.handle();
    const routePath = req.routeOptions.url;
    const exportAction = routePath ? EXPORT_ROUTES[`${req.method} ${routePath}`] : undefined;
    const ip = req.ip || null;
    const handled = () =>
      next.handle().pipe(
        switchMap((body: unknown) => {
          const caseIds = casesShowingIdentity(body);
          if (!caseIds.length) return [body];
          return from(
            this.audit
              .recordGrouped(
                caseIds.map((caseId) => ({ actor: user, action: 'case.identity_viewed' as const, caseId, ip, details: { method: req.method, path: routePath ?? null } })),
              )
              .then(() => body),
          );
        }),
      );
    if (!exportAction) return handled();
    const filters = exportFilters(req.query as Record<string, unknown>);
    return from(this.audit.record(null, { actor: user, action: exportAction, ip, details: { path: routePath, filters } })).pipe(switchMap(() => handled()));
  }
}
