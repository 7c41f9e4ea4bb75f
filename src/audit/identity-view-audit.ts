import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthUser } from '../accounts-core/auth-user';
import { AuditService } from './audit.service';

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
  const candidates: CaseLike[] = Array.isArray(body)
    ? body
    : Array.isArray((body as { items?: unknown }).items)
      ? (body as { items: CaseLike[] }).items
      : [body as CaseLike];
  return candidates
    .filter((c) => c && typeof c === 'object' && typeof c.id === 'string' && c.caseNumber !== undefined && showsWholeIdentity(c))
    .map((c) => c.id as string);
}

/**
 * Records each answer of a signed-in user that shows a whole identity number (who, which case,
 * when), before it is sent: if the record cannot be written the answer is not sent (the error
 * goes to Nest's exception layer, as a handler's would).
 *
 * A Fastify `preSerialization` hook rather than a global Nest interceptor (issue 17): a global
 * interceptor puts every route's answer through Nest's RxJS pipeline (defer, mergeAll,
 * lastValueFrom, an AsyncResource), some 100-200 µs of CPU a request, for the few answers that
 * reveal an identity. The hook sees the same objects: what handlers return, before serialization.
 */
@Injectable()
export class IdentityViewAudit {
  constructor(private readonly audit: AuditService) {}

  register(fastify: FastifyInstance): void {
    fastify.addHook('preSerialization', async (req: FastifyRequest & { user?: AuthUser }, _reply: FastifyReply, body: unknown) => {
      const user = req.user;
      if (!user) return body;
      const caseIds = casesShowingIdentity(body);
      if (!caseIds.length) return body;
      const ip = req.ip || null;
      const details = { method: req.method, path: req.routeOptions.url ?? null };
      await this.audit.recordGrouped(caseIds.map((caseId) => ({ actor: user, action: 'case.identity_viewed' as const, caseId, ip, details })));
      return body;
    });
  }
}
