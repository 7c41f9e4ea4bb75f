import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { AuthUser } from '../accounts-core/auth-user';
import { conflict, invalidInput } from '../common/errors/domain-error';
import { IdempotentRequest } from './idempotency-context';
import { IdempotencyRepository } from './idempotency.repository';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-keys';
import { idempotentRequestOf } from './idempotency-hooks';
import { IdempotentReplay } from './idempotent-replay';
import { requestFingerprint } from './request-fingerprint';

/** How long a duplicate waits for the first request with its key to finish before a 409. */
export const IDEMPOTENCY_WAIT_MS = 10_000;
const POLL_MS = 25;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

type Outcome = { run: true } | { run: false; body: unknown };

/**
 * `Idempotency-Key` on the routes marked @Idempotent(), per user: the first request with a key
 * claims it (a row whose primary key settles concurrent duplicates) and runs; a repeat with the
 * same method, path and body gets the first answer (a concurrent one waits for it), one with
 * another body a 409. What happens after the handler (its answer stored, or the key given up
 * when it failed having changed nothing) is IdempotencyHooks'.
 *
 * A guard of the route's own, after the global AuthGuard (the user is known) and before the
 * pipes, where the interceptor it replaces stood (issue 17: an interceptor puts the route through
 * Nest's RxJS pipeline, some 5% of an intake's CPU). A replay skips pipes and handler: it is
 * thrown as an IdempotentReplay, which the route's IdempotentReplayFilter answers.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: IdempotencyRepository,
  ) {}

  /** Each route's success status, read from its metadata once (every request passes here). */
  private readonly statusCodes = new WeakMap<object, number>();

  private statusCodeOf(handler: object, method: string): number {
    let statusCode = this.statusCodes.get(handler);
    if (statusCode === undefined) {
      statusCode = this.reflector.get<number>(HTTP_CODE_METADATA, handler as never) ?? (method === 'POST' ? 201 : 200);
      this.statusCodes.set(handler, statusCode);
    }
    return statusCode;
  }

  /** Synchronous for a request without the header (most of them): no promise to make and await. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest();
    const key: unknown = req.headers?.[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
    const user: AuthUser | undefined = req.user;
    if (key === undefined || !user) return true;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw invalidInput('Idempotency-Key must be 1-255 visible ASCII characters', { field: IDEMPOTENCY_KEY_HEADER }, '幂等键（Idempotency-Key）须为 1 至 255 个可见 ASCII 字符');
    }
    const request = idempotentRequestOf(req);
    if (!request) throw new Error('an @Idempotent() route without IdempotencyHooks (register them before the routes: src/bootstrap.ts)');
    const requestHash = requestFingerprint(req.method, req.originalUrl ?? req.url, req.body);
    return this.claim(request, user.id, key, requestHash, this.statusCodeOf(context.getHandler(), req.method));
  }

  /** Holds the key for this request (true: run the handler), or throws the first answer to replay, or a 409. */
  private async claim(request: IdempotentRequest, userId: string, key: string, requestHash: string, statusCode: number): Promise<boolean> {
    const outcome = await this.begin(userId, key, requestHash);
    if (!outcome.run) throw new IdempotentReplay(statusCode, outcome.body);
    request.userId = userId;
    request.key = key;
    request.statusCode = statusCode;
    return true;
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
      if (row.state === 'completed') return { run: false, body: row.response_body === null ? undefined : JSON.parse(row.response_body) };
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
