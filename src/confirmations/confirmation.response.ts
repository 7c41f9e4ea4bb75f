import { ApiProperty } from '@nestjs/swagger';
import { DISPUTE_TYPES } from '../case-core/case-lifecycle';
import { ConfirmationView } from '../cases/dto/case.response';
import { Assert, Same } from '../common/openapi/same-shape';
import type { ConfirmationsService } from './confirmations.service';

/** One request of the clerk's queue (GET /confirmations): the confirmation with what the clerk decides on. */
export class ConfirmationQueueItem extends ConfirmationView {
  @ApiProperty({ example: '张三' }) applicantName: string;
  @ApiProperty({ example: '某某建筑工程有限公司' }) respondentName: string;
  @ApiProperty({ enum: DISPUTE_TYPES, enumName: 'DisputeType' }) disputeType: (typeof DISPUTE_TYPES)[number];
  @ApiProperty({ type: String, pattern: '^\\d+(\\.\\d{1,2})?$', example: '10000.00' }) agreedAmount: string;
  @ApiProperty({ type: String, format: 'date-time' }) agreementEffectiveAt: Date;
}

export class ConfirmationPage {
  @ApiProperty({ type: [ConfirmationQueueItem] }) items: ConfirmationQueueItem[];
  @ApiProperty({ type: 'integer', minimum: 0 }) total: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 }) pageSize: number;
}

/** The classes document exactly what confirmations.service.ts builds (a type error otherwise; the queue's items come from a raw query, untyped: the e2e test checks them). */
export type ConfirmationAnswersDocumented = [
  Assert<Same<keyof Awaited<ReturnType<ConfirmationsService['list']>>, keyof ConfirmationPage>>,
  Assert<Same<Awaited<ReturnType<ConfirmationsService['rule']>>, ConfirmationView>>,
];
