import type { SecurityHeadersOptions } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * Security headers on every response (Nest's helmet-equivalent `useSecurityHeaders`: HSTS,
 * nosniff, frame and referrer policies, a same-origin content security policy; pages that need a
 * stricter one, like the web application, set their own).
 */
export const SECURITY_HEADERS: SecurityHeadersOptions = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'frame-ancestors': ["'none'"], 'form-action': ["'self'"] },
  },
  crossOriginEmbedderPolicy: false,
};

/**
 * `Cache-Control: no-store` on every API answer, since any of them may carry personal data
 * (names, identity numbers, phones). Set on the Node response, so that answers written to it
 * directly (exports, downloads) carry it too.
 */
export function apiNoStore(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (req.url.startsWith('/api/')) {
    reply.raw.setHeader('Cache-Control', 'no-store');
    reply.raw.setHeader('Pragma', 'no-cache');
  }
  done();
}
