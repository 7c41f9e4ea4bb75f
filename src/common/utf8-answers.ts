import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Answers of at least this many characters are written as UTF-8 bytes (utf8Answers). */
export const UTF8_ANSWER_MIN_CHARS = 2048;

/**
 * The JSON text of a large GET answer (a case list page, a case) handed to node as UTF-8 bytes
 * instead of as a string: the same bytes and headers, some 30-40 KB less garbage per list page
 * (issue 17: the list's gap to the floor is mostly garbage collection).
 *
 * Why: V8's JSON.stringify returns a large answer as a tree of string pieces. Written as a string,
 * Fastify's Buffer.byteLength (for Content-Length) flattens that tree into one string (a copy, two
 * bytes a character when the answer has any Chinese), then node's response puts the header string
 * before it (`header + body`) and flattens that again to write it: the page is copied twice on
 * V8's heap. Buffer.from flattens once and writes the bytes outside V8's heap; node then writes the
 * header and these bytes side by side (writev) without joining them, and Fastify takes the length
 * from the Buffer.
 *
 * Only GET: the @Idempotent() routes (POST) store what their onSend hook sees as the answer's text.
 * Registered after Fastify sets the content type (in reply.send, before any onSend hook), so the
 * answer's Content-Type stays what it was (`application/json; charset=utf-8`).
 */
export function utf8Answers(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (req: FastifyRequest, _reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void) => {
    if (typeof payload === 'string' && payload.length >= UTF8_ANSWER_MIN_CHARS && req.method === 'GET') return done(null, Buffer.from(payload, 'utf8'));
    done(null, payload);
  });
}
