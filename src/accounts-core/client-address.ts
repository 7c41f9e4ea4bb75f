import type { FastifyRequest } from 'fastify';

/** The client's address as Fastify computed it (forwarding headers only from TRUSTED_PROXIES). */
export function clientAddress(req: FastifyRequest): string {
  return req.ip || req.socket?.remoteAddress || 'unknown';
}
