import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature: `X-Signature: sha256=<hex>`. */
export const SIGNATURE_HEADER = 'X-Signature';

/** `sha256=` and the HMAC-SHA256 of the raw body under the webhook's secret, in hex. */
export function signWebhookBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** What a receiver does (README "For court systems"): recompute over the raw bytes, compare in constant time. */
export function verifyWebhookSignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(secret, rawBody));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
