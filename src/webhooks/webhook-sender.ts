import { Injectable } from '@nestjs/common';
import { AppConfigService } from '../config/app-config.service';
import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature';

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookRequest {
  url: string;
  secret: string;
  body: string;
  deliveryId: string;
  eventType: string;
}

const MAX_ERROR_LENGTH = 500;

/**
 * One HTTP attempt: POST the body as stored, signed, within WEBHOOK_TIMEOUT_MS. Only a 2xx
 * counts as delivered; redirects are not followed. Runs in the queue worker, never in a request.
 */
@Injectable()
export class WebhookSender {
  constructor(private readonly config: AppConfigService) {}

  async send(r: WebhookRequest): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const res = await fetch(r.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'mediation-tracker-webhooks/1',
          [SIGNATURE_HEADER]: signWebhookBody(r.secret, r.body),
          'X-Webhook-Event': r.eventType,
          'X-Webhook-Delivery': r.deliveryId,
        },
        body: r.body,
        signal: AbortSignal.timeout(this.config.get('WEBHOOK_TIMEOUT_MS')),
      });
      // The answer's body is not needed; read it (bounded by the same timeout) so the connection is reusable.
      await res.arrayBuffer().catch(() => undefined);
      const ok = res.status >= 200 && res.status < 300;
      return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: elapsed() };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const reason = err.name === 'TimeoutError' ? `no answer within ${this.config.get('WEBHOOK_TIMEOUT_MS')} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
      return { ok: false, statusCode: null, error: String(reason).slice(0, MAX_ERROR_LENGTH), durationMs: elapsed() };
    }
  }
}
