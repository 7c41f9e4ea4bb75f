import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { IsInstant, QueryBoolean, QueryInt } from '../../common/dto/validators';
import { CASE_STATUSES, CaseStatus, DISPUTE_TYPES, DisputeType } from '../../case-core/case-lifecycle';

/** The list's filters (also used by the CSV export). `status` may list several states: status=assigned,in_mediation. */
export class CaseFilterQuery {
  @ApiPropertyOptional({
    enum: CASE_STATUSES,
    isArray: true,
    description: 'one state or several separated by commas (status=assigned,in_mediation); repeating the parameter works too',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @ArrayMaxSize(CASE_STATUSES.length)
  @IsIn(CASE_STATUSES, { each: true })
  status?: CaseStatus[];

  @ApiPropertyOptional({ type: String, format: 'uuid' }) @IsOptional() @IsUUID() workstationId?: string;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) @IsOptional() @IsUUID() mediatorId?: string;
  @ApiPropertyOptional({ enum: DISPUTE_TYPES }) @IsOptional() @IsIn(DISPUTE_TYPES) disputeType?: DisputeType;
  @ApiPropertyOptional({ type: Boolean, description: 'true or false' }) @IsOptional() @QueryBoolean() @IsBoolean() overdue?: boolean;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: '张三', description: 'case number (or its start), court case number, applicant or respondent name (substring)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @IsInstant({ optional: true, description: 'received at or after (date-time or YYYY-MM-DD, Asia/Shanghai)' })
  @Transform(({ value }) => value)
  receivedFrom?: string;

  @IsInstant({ optional: true, description: 'received before (date-time or YYYY-MM-DD: the whole day, Asia/Shanghai)' })
  receivedTo?: string;
}

export class ListCasesQuery extends CaseFilterQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100) pageSize?: number;
}
