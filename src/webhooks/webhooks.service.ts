import { Injectable } from '@nestjs/common';
import { AuthUser } from '../accounts-core/auth-user';
import { Clock } from '../common/clock';
import { conflict, invalidInput, notFound } from '../common/errors/domain-error';
import { CreateWebhookDto, ListDeliveriesQuery, ListWebhooksQuery, WebhookDeliveryDto, WebhookDeliveryListDto, WebhookDto, WebhookListDto } from './webhook.dto';
import { DeliveryRow, WebhookRow, WebhooksRepository } from './webhooks.repository';

export function toWebhookView(w: WebhookRow): WebhookDto {
  return { id: w.id, url: w.url, events: w.events, workstationId: w.workstation_id, active: w.active, createdBy: w.created_by, createdAt: w.created_at };
}

export function toDeliveryView(d: DeliveryRow): WebhookDeliveryDto {
  return {
    id: d.id,
    webhookId: d.webhook_id,
    eventId: d.event_id,
    type: d.event_type,
    caseId: d.case_id,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    createdAt: d.created_at,
    enqueuedAt: d.enqueued_at,
    deliveredAt: d.delivered_at,
    deadAt: d.dead_at,
    payload: JSON.parse(d.body),
    attemptLog: d.attempt_log.map((a) => ({ attempt: a.attempt, at: new Date(a.at), statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })),
  };
}

/** Webhook subscriptions (admin) and their delivery log. The secret is never shown again. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly clock: Clock,
  ) {}

  async create(actor: AuthUser, dto: CreateWebhookDto): Promise<WebhookDto> {
    if (dto.workstationId && !(await this.webhooks.workstationExists(dto.workstationId))) {
      throw invalidInput('workstationId does not exist', { field: 'workstationId' }, '工作室不存在');
    }
    const row = await this.webhooks.insert({ url: dto.url, events: dto.events, secret: dto.secret, workstationId: dto.workstationId ?? null, createdBy: actor.id, now: this.clock.now() });
    return toWebhookView(row);
  }

  async list(query: ListWebhooksQuery): Promise<WebhookListDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { rows, total } = await this.webhooks.list((page - 1) * pageSize, pageSize);
    return { items: rows.map(toWebhookView), total, page, pageSize };
  }

  async remove(id: string): Promise<void> {
    if (!(await this.webhooks.deactivate(id, this.clock.now()))) throw notFound('Webhook', '推送订阅不存在');
  }

  /** Sends a dead letter again (a new round of attempts, the same event id); only a dead delivery of an active webhook. */
  async redeliver(webhookId: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    const found = await this.webhooks.findDelivery(webhookId, deliveryId);
    if (!found) throw notFound('Delivery', '推送记录不存在');
    if (!(await this.webhooks.redeliver(webhookId, deliveryId))) {
      throw conflict(`Only a dead delivery of an active webhook can be sent again; this one is ${found.status}`, { status: found.status }, '只有死信（多次推送失败）可以重新推送');
    }
    return toDeliveryView((await this.webhooks.findDelivery(webhookId, deliveryId))!);
  }

  async deliveries(webhookId: string, query: ListDeliveriesQuery): Promise<WebhookDeliveryListDto> {
    if (!(await this.webhooks.findById(webhookId))) throw notFound('Webhook', '推送订阅不存在');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { rows, total } = await this.webhooks.deliveries(webhookId, query.status, (page - 1) * pageSize, pageSize);
    return { items: rows.map(toDeliveryView), total, page, pageSize };
  }
}
