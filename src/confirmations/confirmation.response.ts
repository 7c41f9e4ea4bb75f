import { ApiProperty } from '@nestjs/swagger';
import { DISPUTE_TYPES } from '../cases/case-lifecycle';
import { ConfirmationView } from '../cases/dto/case.response';

/** One request of the clerk's queue (GET /confirmations): the confirmation with what the clerk decides on. */
export class ConfirmationQueueItem extends ConfirmationView {
  @ApiProperty({ type: String, format: 'date-time', description: 'the ruling is due by this instant (15 days after the application, 24:00 Asia/Shanghai)' })
  rulingDueAt: Date;
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
