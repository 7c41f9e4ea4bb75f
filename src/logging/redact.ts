/**
 * The redacting serializer of every log line: no token, API key, password, search text or
 * identity number ever reaches a log (DESIGN "Security and personal data").
 */

/** Keys whose values are never logged (compared lower-cased, without _ and -). */
const SENSITIVE_KEYS = new Set(
  ['password', 'currentPassword', 'newPassword', 'temporaryPassword', 'passwordHash', 'token', 'accessToken', 'access_token', 'apiKey', 'authorization', 'cookie', 'set-cookie', 'secret', 'jwtSecret', 'idNumber', 'applicantIdNumber', 'respondentIdNumber', 'q'].map(
    (k) => k.toLowerCase().replace(/[_-]/g, ''),
  ),
);
export const REDACTED = '[REDACTED]';

/** Query parameters whose values are dropped from logged URLs. */
const SENSITIVE_QUERY = /([?&](?:q|access_token|token|api_key|apikey|password|idNumber|id_number)=)[^&#\s"]*/gi;
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const API_KEY = /mtk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
/** Mainland identity numbers (18 characters, the last may be X) and the older 15-digit ones. */
const ID_NUMBER = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;

export function redactText(text: string): string {
  return text.replace(SENSITIVE_QUERY, `$1${REDACTED}`).replace(JWT, REDACTED).replace(API_KEY, REDACTED).replace(BEARER, `$1${REDACTED}`).replace(ID_NUMBER, REDACTED);
}

const isSensitiveKey = (key: string) => SENSITIVE_KEYS.has(key.toLowerCase().replace(/[_-]/g, ''));

/** A copy of a log argument with sensitive keys and text redacted (plain objects, arrays and errors; depth-limited). */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
    for (const [k, v] of Object.entries(value)) out[k] = isSensitiveKey(k) ? REDACTED : redactValue(v, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  // Requests and responses go through their own serializers (which keep only safe fields).
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSensitiveKey(k) ? REDACTED : redactValue(v, depth + 1);
  return out;
}
