import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { from, Observable, of } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { AuthUser } from '../accounts-core/auth-user';
import { conflict, invalidInput } from '../common/errors/domain-error';
import { idempotentRequestContext } from './idempotency-context';
import { IdempotencyRepository } from './idempotency.repository';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT } from './idempotency-keys';

/** How long a duplicate waits for the first request with its key to finish before a 409. */
export const IDEMPOTENCY_WAIT_MS = 10_000;
const POLL_MS = 25;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted, so that the same body in another key order is the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

type Outcome = { run: true } | { run: false; statusCode: number; body: unknown };

/**
 * `Idempotency-Key` on the routes marked @Idempotent(), per user: the first request with a key
 * claims it (a row whose primary key settles concurrent duplicates), runs, and stores its answer;
 * a repeat with the same method, path and body gets that answer (a concurrent one waits for it),
 * one with another body a 409. A request that fails having changed nothing gives the key up.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: IdempotencyRepository,
  ) {}

  /** Whether a route handler is @Idempotent(), read from its metadata once (every request passes here). */
  private readonly idempotentHandlers = new WeakMap<object, boolean>();

  private isIdempotent(handler: object): boolean {
    let idempotent = this.idempotentHandlers.get(handler);
    if (idempotent === undefined) {
      idempotent = !!this.reflector.get<boolean>(IDEMPOTENT, handler as never);
      this.idempotentHandlers.set(handler, idempotent);
    }
    return idempotent;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.isIdempotent(context.getHandler())) return next.handle();
    const req = context.switchToHttp().getRequest();
    const res = context.switchToHttp().getResponse();
    const key: unknown = req.headers?.[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
    const user: AuthUser | undefined = req.user;
    if (key === undefined || !user) return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw invalidInput('Idempotency-Key must be 1-255 visible ASCII characters', { field: IDEMPOTENCY_KEY_HEADER }, '幂等键（Idempotency-Key）须为 1 至 255 个可见 ASCII 字符');
    }
    const requestHash = createHash('sha256').update(`${req.method} ${req.originalUrl ?? req.url}\n${canonicalJson(req.body ?? null)}`).digest('hex');
    const statusCode: number = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);

    return from(this.begin(user.id, key, requestHash)).pipe(
      mergeMap((outcome) => {
        if (!outcome.run) {
          res.header('Idempotent-Replayed', 'true');
          return of(outcome.body);
        }
        const store = { userId: user.id, key, markedIn: new WeakSet<object>() };
        return idempotentRequestContext.run(store as never, () => next.handle()).pipe(
          mergeMap(async (body) => {
            // The change is made: the client gets its answer even if storing it fails (a retry then learns it was applied).
            await this.keys.complete(user.id, key, statusCode, body === undefined ? null : JSON.stringify(body)).catch((e) => this.logger.warn(`storing an idempotent answer failed: ${(e as Error).message}`));
            return body;
          }),
          catchError(async (e) => {
            await this.keys.release(user.id, key).catch(() => undefined);
            throw e;
          }),
        );
      }),
    );
  }

  private async begin(userId: string, key: string, requestHash: string): Promise<Outcome> {
    const deadline = Date.now() + IDEMPOTENCY_WAIT_MS;
    for (;;) {
      if (await this.keys.claim(userId, key, requestHash)) return { run: true };
      const row = await this.keys.find(userId, key);
      if (!row) continue; // given up meanwhile: claim again
      if (row.expired) {
        await this.keys.deleteExpired(userId, key);
        continue;
      }
      if (row.request_hash !== requestHash) {
        throw conflict('This Idempotency-Key was already used for another request', { field: IDEMPOTENCY_KEY_HEADER }, '该幂等键已用于另一个不同的请求');
      }
      if (row.state === 'completed') return { run: false, statusCode: row.status_code ?? 200, body: row.response_body === null ? undefined : JSON.parse(row.response_body) };
      if (row.lease_expired) {
        if (row.applied_case_id) {
          throw conflict(
            'The request with this Idempotency-Key was applied, but its answer was lost; read the case instead of sending it again',
            { caseId: row.applied_case_id },
            '该请求已执行，但未能保存结果，请查看案件而不要重复提交',
          );
        }
        if (await this.keys.takeOverAbandoned(userId, key)) return { run: true };
        continue;
      }
      if (Date.now() > deadline) {
        throw conflict('A request with this Idempotency-Key is still in progress; retry later', { field: IDEMPOTENCY_KEY_HEADER }, '使用该幂等键的请求仍在处理中，请稍后重试');
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
