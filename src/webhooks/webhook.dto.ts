import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Length, Max, Min } from 'class-validator';
import { QueryInt } from '../common/dto/validators';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from './webhook-events';
import { DELIVERY_STATUSES, DeliveryStatus } from './webhooks.repository';

export class CreateWebhookDto {
  @ApiProperty({ description: 'Where deliveries are POSTed (http or https). 接收推送的地址', example: 'https://court.example.cn/hooks/mediation', maxLength: 2000 })
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false }, { message: 'url must be an http(s) URL' })
  @Length(1, 2000)
  url: string;

  @ApiProperty({ description: 'The events to receive. 订阅的事件', enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['case.failed', 'confirmation.requested'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events: WebhookEventType[];

  @ApiProperty({ description: 'Shared secret for the HMAC-SHA256 signature (16-200 characters); never shown again. 签名密钥', minLength: 16, maxLength: 200, example: 'a-long-random-secret-of-the-court' })
  @IsString()
  @Length(16, 200)
  secret: string;

  @ApiPropertyOptional({ description: "Only this workstation's cases; omit for every workstation. 仅某工作室的案件；不填为全部", format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  workstationId?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://court.example.cn/hooks/mediation' }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events: WebhookEventType[];
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: every workstation' }) workstationId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items: WebhookDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ListWebhooksQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100) pageSize?: number;
}

export class ListDeliveriesQuery extends ListWebhooksQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'dead: every attempt failed (the dead letters)' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class DeliveryAttemptDto {
  @ApiProperty({ description: '1 for the first attempt' }) attempt: number;
  @ApiProperty({ format: 'date-time' }) at: Date;
  @ApiProperty({ nullable: true, type: Number, description: "the receiver's HTTP status; null when it did not answer" }) statusCode: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'ECONNREFUSED' }) error: string | null;
  @ApiProperty() durationMs: number;
}

export class WebhookPayloadDto {
  @ApiProperty({ format: 'uuid', description: 'the event id: receivers dedupe by it (the same on every attempt)' }) id: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) type: WebhookEventType;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'caseId, caseNumber, workstationId, source, courtCaseNumber, status, mediatorId, timelineEvent, actorId, and the change (e.g. handOff and reason of case.failed)',
  })
  data: Record<string, unknown>;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'the delivery (and its queue job) id; also sent as X-Webhook-Delivery' }) id: string;
  @ApiProperty({ format: 'uuid' }) webhookId: string;
  @ApiProperty({ format: 'uuid', description: 'the payload id' }) eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) type: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId: string | null;
  @ApiProperty({ enum: DELIVERY_STATUSES, description: 'pending/enqueued: not delivered yet; delivered; dead: every attempt failed (dead letter); cancelled: the webhook was deleted first' })
  status: DeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: Number }) lastStatusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) enqueuedAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deadAt: Date | null;
  @ApiProperty({ type: WebhookPayloadDto, description: 'the body as sent (and signed)' }) payload: WebhookPayloadDto;
  @ApiProperty({ type: [DeliveryAttemptDto] }) attemptLog: DeliveryAttemptDto[];
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items: WebhookDeliveryDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
