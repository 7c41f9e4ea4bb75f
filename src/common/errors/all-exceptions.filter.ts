import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ServerResponse, STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { HTTP_STATUS_BY_CODE } from './error-codes';
import { RETRY_AFTER_LOCKED_SECONDS, RETRY_AFTER_UNAVAILABLE_SECONDS, transientDatabaseFailure } from './unavailable';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Chinese text for the web application (DESIGN.md: "Messages have a Chinese text"). */
  messageZh: string;
  code?: string;
  details?: unknown;
}

/** Retry-After of a 429 or 503 that does not say its own (DESIGN: 429 and 503 carry Retry-After). */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** The Chinese text for an error that does not bring its own. */
export const MESSAGE_ZH_BY_STATUS: Record<number, string> = {
  400: '提交的内容有误，请检查后重试',
  401: '请先登录',
  403: '您的角色无权执行此操作',
  404: '记录不存在或您无权查看',
  409: '操作与案件当前状态冲突，请刷新后重试',
  413: '文件或请求内容过大',
  415: '不支持的文件类型',
  429: '操作过于频繁，请稍后再试',
  500: '系统内部错误',
  503: '服务暂时不可用，请稍后重试',
};
const zhFor = (status: number) => MESSAGE_ZH_BY_STATUS[status] ?? (status >= 500 ? MESSAGE_ZH_BY_STATUS[500] : MESSAGE_ZH_BY_STATUS[400]);

/** Fastify's own errors, in the API's words. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body too large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Malformed JSON body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Malformed request body',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type',
};

/** The one error shape of the API: {statusCode, error, message, details?}. Never a stack trace. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<FastifyReply | ServerResponse>();
    const body = this.toBody(exception);
    if (body.statusCode === 503) this.logger.warn(`dependency unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
    else if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const raw = 'raw' in res ? res.raw : res;
    if (raw.headersSent || ('sent' in res && res.sent)) {
      raw.destroy();
      return;
    }
    const retryAfter = (body.details as { retryAfter?: unknown } | undefined)?.retryAfter;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if ((body.statusCode === 429 || body.statusCode === 503 || typeof retryAfter === 'number') && !res.getHeader('Retry-After')) {
      headers['retry-after'] = String(typeof retryAfter === 'number' && retryAfter > 0 ? Math.ceil(retryAfter) : DEFAULT_RETRY_AFTER_SECONDS);
    }
    if ('raw' in res) void res.code(body.statusCode).headers(headers).send(JSON.stringify(body));
    else res.writeHead(body.statusCode, headers).end(JSON.stringify(body));
  }

  toBody(exception: unknown): ErrorBody {
    const body = this.toEnglishBody(exception);
    return { ...body, messageZh: body.messageZh ?? zhFor(body.statusCode) };
  }

  private toEnglishBody(exception: unknown): Omit<ErrorBody, 'messageZh'> & { messageZh?: string } {
    if (exception instanceof DomainError) {
      const statusCode = HTTP_STATUS_BY_CODE[exception.code];
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: exception.message, messageZh: exception.messageZh, code: exception.code, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const cause = exception.cause as { code?: string } | undefined;
      const statusCode = exception.getStatus();
      if (exception.getStatus() === 400 && cause instanceof SyntaxError) return { statusCode: 400, error: 'Bad Request', message: 'Malformed JSON body' };
      const fastifyMessage = cause?.code ? FASTIFY_MESSAGES[cause.code] : undefined;
      if (fastifyMessage) return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: fastifyMessage };
      const response = exception.getResponse() as string | { message?: unknown; details?: unknown };
      let message = typeof response === 'string' ? response : response.message;
      if (Array.isArray(message)) message = message.join('; ');
      const details = typeof response === 'object' ? response.details : undefined;
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: String(message ?? exception.message), details };
    }
    // Fastify's body parsing errors (malformed JSON, too large, a type it does not read) arrive as plain errors with a status.
    const e = exception as { status?: number; statusCode?: number; code?: string; message?: string };
    const status = e?.status ?? e?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: (e.code && FASTIFY_MESSAGES[e.code]) ?? e.message ?? 'Bad request' };
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string })?.code;
      // Input that slipped past validation must still be a 4xx, never a 500.
      if (code === '23505') return { statusCode: 409, error: 'Conflict', message: 'Already exists' };
      if (code === '23503') return { statusCode: 400, error: 'Bad Request', message: 'Referenced record does not exist' };
      if (code === '22P02' || code === '22003' || code === '22007' || code === '22008' || code === '22001' || code === '23514') {
        return { statusCode: 400, error: 'Bad Request', message: 'Invalid value' };
      }
    }
    // A lock given up or a database that went away is not a bug: 409 / 503 with Retry-After, never a 500.
    const transient = transientDatabaseFailure(exception);
    if (transient === 'busy') {
      return { statusCode: 409, error: 'Conflict', code: 'CASE_BUSY', message: 'The record is being changed by someone else: retry shortly', messageZh: '该记录正被他人修改，请稍后重试', details: { retryAfter: RETRY_AFTER_LOCKED_SECONDS } };
    }
    if (transient === 'unavailable') {
      return { statusCode: 503, error: 'Service Unavailable', code: 'UNAVAILABLE', message: 'The database is unavailable: retry shortly', messageZh: MESSAGE_ZH_BY_STATUS[503], details: { retryAfter: RETRY_AFTER_UNAVAILABLE_SECONDS } };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'Internal Server Error', message: 'Internal server error' };
  }
}
