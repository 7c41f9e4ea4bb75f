import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  isIn,
  isISO8601,
  isUUID,
  Length,
  length,
  Max,
  maxLength,
  Min,
} from 'class-validator';
import { IsInstant, QueryBoolean, QueryInt } from '../../common/dto/validators';
import { acceptQuickly, QuickParams } from '../../common/validation';
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

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    example: '张三',
    description: 'case number (or its start), court case number, applicant or respondent name (substring)',
  })
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

  /**
   * The validation pipe's quick path (QuicklyAccepted, src/common/validation.ts): the query as the
   * decorators above would transform it, when every parameter is one of them, given once, and
   * plainly valid by the same class-validator checks; else undefined, and the full validation decides.
   */
  static accept(input: unknown): ListCasesQuery | undefined {
    return acceptQuickly(new ListCasesQuery(), QUICK_PARAMS, input);
  }
}

const INSTANT_OPTIONS = { strict: true, strictSeparator: true };
const instant = (v: string) => (maxLength(v, 40) && isISO8601(v, INSTANT_OPTIONS) ? v : undefined);
const integer = (max: number) => (v: string) => (/^[1-9]\d{0,8}$/.test(v) && Number(v) <= max ? Number(v) : undefined);
const statuses = (v: string) => {
  const list = v.split(',').filter(Boolean);
  return list.length >= 1 && list.length <= CASE_STATUSES.length && list.every((s) => isIn(s, CASE_STATUSES)) ? list : undefined;
};

/** Each parameter's value as the decorators transform it when it is plainly valid, else undefined. */
const QUICK_PARAMS: QuickParams<ListCasesQuery> = {
  status: statuses as (value: string) => CaseStatus[] | undefined,
  workstationId: (v) => (isUUID(v) ? v : undefined),
  mediatorId: (v) => (isUUID(v) ? v : undefined),
  disputeType: (v) => (isIn(v, DISPUTE_TYPES) ? (v as DisputeType) : undefined),
  overdue: (v) => (v === 'true' ? true : v === 'false' ? false : undefined),
  q: (v) => (length(v, 1, 100) ? v : undefined),
  receivedFrom: instant,
  receivedTo: instant,
  page: integer(100000),
  pageSize: integer(100),
};
