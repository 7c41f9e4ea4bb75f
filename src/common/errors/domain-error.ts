/**
 * Domain errors carry a code; `error-codes.ts` maps each code to an HTTP status in one place,
 * so services never import HTTP exceptions.
 */
export enum ErrorCode {
  NotFound = 'NOT_FOUND',
  Forbidden = 'FORBIDDEN',
  Unauthorized = 'UNAUTHORIZED',
  InvalidInput = 'INVALID_INPUT',
  InvalidTransition = 'INVALID_TRANSITION',
  StaleVersion = 'STALE_VERSION',
  Conflict = 'CONFLICT',
  AlreadyExists = 'ALREADY_EXISTS',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  /** A reset password: every endpoint but the password change answers 403 until a new one is set. */
  PasswordChangeRequired = 'PASSWORD_CHANGE_REQUIRED',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  /** The case's row is locked by another change: retry after Retry-After. */
  CaseBusy = 'CASE_BUSY',
  /** A dependency (database, Redis) is down or busy: retry after Retry-After. */
  Unavailable = 'UNAVAILABLE',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** The Chinese text the web application shows; the filter falls back to one per status. */
    readonly messageZh?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, messageZh?: string) => new DomainError(ErrorCode.NotFound, `${what} not found`, undefined, messageZh);
export const invalidInput = (message: string, details?: Record<string, unknown>, messageZh?: string) =>
  new DomainError(ErrorCode.InvalidInput, message, details, messageZh);
export const conflict = (message: string, details?: Record<string, unknown>, messageZh?: string) =>
  new DomainError(ErrorCode.Conflict, message, details, messageZh);
export const unauthorized = (message: string, messageZh = '登录已失效，请重新登录') => new DomainError(ErrorCode.Unauthorized, message, undefined, messageZh);
export const forbidden = (message = 'Not allowed for your role', messageZh = '您的角色无权执行此操作') =>
  new DomainError(ErrorCode.Forbidden, message, undefined, messageZh);

export const payloadTooLarge = (message: string, details?: Record<string, unknown>, messageZh?: string) =>
  new DomainError(ErrorCode.PayloadTooLarge, message, details, messageZh);
export const unsupportedMediaType = (message: string, details?: Record<string, unknown>, messageZh?: string) =>
  new DomainError(ErrorCode.UnsupportedMediaType, message, details, messageZh);

/** Clock skew tolerated when a client sends "now" for a past event (received, signed, paid, applied). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** A past event cannot be dated in the future: 400 naming the field. */
export function assertNotInFuture(at: Date, now: Date, field: string): void {
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw invalidInput(`${field} is in the future`, { field });
}
