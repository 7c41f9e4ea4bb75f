import { Module } from '@nestjs/common';
import { WebhookDeliveryProcessor, WebhookDeliveryService } from './webhook-delivery.processor';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Webhooks for court systems: the admin API. The outbox rows are written in each case change's
 * transaction by insertCaseEvent (webhook-outbox.ts); delivery is in WebhooksWorkerModule.
 */
@Module({ controllers: [WebhooksController], providers: [WebhooksRepository, WebhooksService] })
export class WebhooksModule {}

/** Worker side: the outbox dispatcher and the delivery processor (BullMQ queue `webhooks`). */
@Module({ providers: [WebhooksRepository, WebhookSender, WebhookDeliveryService, WebhookDispatcher, WebhookDeliveryProcessor], exports: [WebhookDispatcher] })
export class WebhooksWorkerModule {}
