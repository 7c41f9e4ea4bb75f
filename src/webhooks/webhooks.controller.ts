import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser, Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { ApiErrors } from '../common/openapi/api-errors';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CreateWebhookDto, ListDeliveriesQuery, ListWebhooksQuery, WebhookDeliveryDto, WebhookDeliveryListDto, WebhookDto, WebhookListDto } from './webhook.dto';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';
import { WebhooksService } from './webhooks.service';

const DELIVERY_CONTRACT =
  'Each delivery is a POST of `{id, type, occurredAt, data}` (application/json) signed with `X-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body under the secret; ' +
  'also `X-Webhook-Event` and `X-Webhook-Delivery`. At least once: a 2xx within the timeout acknowledges, anything else is retried with exponential backoff, ' +
  'and after the last attempt the delivery is dead (see the delivery log). Receivers dedupe by `id`.';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles(Role.Admin)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Register a webhook',
    description:
      `管理员登记推送订阅（某工作室或全部工作室）。Admin: subscribe a URL to case events of one workstation (workstationId) or of all. Events: ${WEBHOOK_EVENT_TYPES.join(', ')}. ` +
      DELIVERY_CONTRACT,
  })
  @ApiCreatedResponse({ type: WebhookDto, description: 'the webhook (its secret is never shown again)' })
  @ApiErrors(400, 401, 403)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List webhooks', description: '推送订阅列表（不含密钥）。Admin: the active webhooks, newest first; secrets are not shown.' })
  @ApiOkResponse({ type: WebhookListDto })
  @ApiErrors(400, 401, 403)
  list(@Query() query: ListWebhooksQuery): Promise<WebhookListDto> {
    return this.webhooks.list(query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook', description: '停用推送订阅，未送达的推送随之取消。Admin: stops the webhook at once; its undelivered deliveries are cancelled. The delivery log stays readable.' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors(400, 401, 403, 404)
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: "A webhook's delivery log",
    description:
      '推送记录：每次推送的尝试次数、状态码、错误与死信状态。Admin: the deliveries of one webhook, newest first, each with its attempts (time, HTTP status, error, duration), ' +
      'its state (pending, enqueued, delivered, dead = dead letter after the last attempt, cancelled) and the payload as sent. `status=dead` lists the dead letters. ' +
      DELIVERY_CONTRACT,
  })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiErrors(400, 401, 403, 404)
  deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListDeliveriesQuery): Promise<WebhookDeliveryListDto> {
    return this.webhooks.deliveries(id, query);
  }

  @Post(':id/deliveries/:deliveryId/redelivery')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a dead letter again',
    description:
      '重新推送死信。Admin: puts a dead delivery (every attempt failed) back in the outbox for a new round of attempts, with the same body and event id. ' +
      'Answers 202 with the delivery, now pending; 409 when the delivery is not dead or the webhook was deleted.',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiErrors(400, 401, 403, 404, 409)
  redeliver(@Param('id', ParseUUIDPipe) id: string, @Param('deliveryId', ParseUUIDPipe) deliveryId: string): Promise<WebhookDeliveryDto> {
    return this.webhooks.redeliver(id, deliveryId);
  }
}
