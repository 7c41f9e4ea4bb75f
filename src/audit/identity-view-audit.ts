import { Injectable } from '@nestjs/common';
import { errorCodes } from 'fastify';
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
    // A callback hook, not an async one: most answers show no identity and go on at once, without
    // the promise and the microtask hop that an async hook costs every request (issue 17).
    fastify.addHook('preSerialization', (req: FastifyRequest & { user?: AuthUser }, _reply: FastifyReply, body: unknown, done: (err: Error | null, body?: unknown) => void) => {
      const user = req.user;
      if (!user) return done(null, body);
      const caseIds = casesShowingIdentity(body);
      if (!caseIds.length) return done(null, body);
      const ip = req.ip || null;
      const details = { method: req.method, path: req.routeOptions.url ?? null };
      this.audit.recordGrouped(caseIds.map((caseId) => ({ actor: user, action: 'case.identity_viewed' as const, caseId, ip, details }))).then(
        () => {
          // What follows (serialization) runs inside this call: its error goes where Fastify sends an async hook's.
          try {
            done(null, body);
          } catch (e) {
            done(e as Error);
          }
        },
        // As Fastify treats an async hook's rejection (an empty one becomes its own error).
        (e: unknown) => done((e as Error) || new errorCodes.FST_ERR_SEND_UNDEFINED_ERR()),
      );
    });
  }
}
