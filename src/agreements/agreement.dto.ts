import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsInstant, IsMoney, Trim } from '../common/dto/validators';
import { VersionedDto } from '../cases/dto/case-actions.dto';

export class InstallmentDto {
  @ApiProperty({ type: String, format: 'date', example: '2026-12-31', description: 'calendar date (Asia/Shanghai)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date YYYY-MM-DD' })
  dueDate: string;

  @IsMoney({ example: '5000.00' }) amount: string;
}

export class RecordAgreementDto extends VersionedDto {
  @ApiProperty({ example: '被申请人于2026年12月31日前支付拖欠工资共计人民币壹万元', minLength: 1, maxLength: 20000 }) @Trim() @IsString() @Length(1, 20000) terms: string;
  @IsMoney({ example: '10000.00' }) agreedAmount: string;
  @IsInstant({ description: 'when the last of the parties and the mediator signed' }) signedAt: string;
  @IsInstant({ optional: true, description: 'when the agreement takes effect; defaults to signedAt' }) effectiveAt?: string;

  @ApiPropertyOptional({ type: [InstallmentDto], maxItems: 120, description: 'payment plan; empty or omitted for none. Amounts must add up to agreedAmount.' })
  @IsArray()
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => InstallmentDto)
  installments: InstallmentDto[] = [];
}

export class RecordPaymentDto extends VersionedDto {
  @IsInstant() paidAt: string;
}
