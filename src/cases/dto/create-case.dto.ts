import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  isIn,
  isInt,
  isISO8601,
  isUUID,
  Length,
  length,
  Matches,
  matches,
  Max,
  max,
  maxLength,
  Min,
  min,
  ValidateNested,
} from 'class-validator';
import { IsInstant, IsMoney, Trim } from '../../common/dto/validators';
import { CASE_SOURCES, CaseSource, DISPUTE_TYPES, DisputeType } from '../../case-core/case-lifecycle';
import { MONEY_PATTERN } from '../../common/money';

export const PARTY_KINDS = ['worker', 'employer'] as const;
export const ID_NUMBER = /^[0-9A-Za-z]{6,32}$/;
export const PHONE = /^[0-9+ -]{5,20}$/;
const MEDIATION_DEADLINE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** 代理人 (agent) of a party. */
export class AgentDto {
  @ApiProperty({ example: '李律师' }) @Trim() @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ example: '13900000000' }) @IsOptional() @Matches(PHONE, { message: 'phone must be 5-20 digits' }) phone?: string;
  @ApiPropertyOptional({ example: '委托代理人（律师）' }) @IsOptional() @Trim() @IsString() @Length(1, 50) relation?: string;
}

/** An elected representative of a collective dispute (workerCount >= 3). */
export class RepresentativeDto {
  @ApiProperty({ example: '王五' }) @Trim() @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ example: '13700000000' }) @IsOptional() @Matches(PHONE, { message: 'phone must be 5-20 digits' }) phone?: string;
}

/** A party: a worker (identity number) or an employer (unified social credit code). */
export class PartyDto {
  @ApiPropertyOptional({ enum: PARTY_KINDS, description: 'applicant: who applied (default worker); respondent: the other kind' })
  @IsOptional()
  @IsIn(PARTY_KINDS)
  kind?: (typeof PARTY_KINDS)[number];

  @ApiProperty({ example: '张三' }) @Trim() @IsString() @Length(1, 200) name: string;

  @ApiPropertyOptional({ example: '420102199001011234', description: '身份证号 (18 characters) or another identity document number: a worker' })
  @IsOptional()
  @Matches(ID_NUMBER, { message: 'idNumber must be 6-32 letters or digits' })
  idNumber?: string;

  @ApiPropertyOptional({ example: '91420100MA4K0000XX', description: '统一社会信用代码: an employer' })
  @IsOptional()
  @Matches(ID_NUMBER, { message: 'creditCode must be 6-32 letters or digits' })
  creditCode?: string;

  @ApiPropertyOptional({ example: '13800000000' }) @IsOptional() @Matches(PHONE, { message: 'phone must be 5-20 digits' }) phone?: string;
  @ApiPropertyOptional({ example: '武汉市江岸区某某路1号', description: '送达地址 (service address)' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 300)
  address?: string;

  @ApiPropertyOptional({ type: AgentDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AgentDto)
  agent?: AgentDto;
}

/** Kept for older imports: a party. */
export class ApplicantDto extends PartyDto {}
export class RespondentDto extends PartyDto {}

export class CreateCaseDto {
  @ApiProperty({ type: String, format: 'uuid', description: 'the workstation that takes the case in' }) @IsUUID() workstationId: string;
  @ApiProperty({
    enum: CASE_SOURCES,
    example: 'walk_in',
    description: 'court_entrusted 委托 (filed with the court), court_assigned 委派 (before filing), walk_in, hotline, arbitration_referral',
  })
  @IsIn(CASE_SOURCES)
  source: CaseSource;

  @ApiPropertyOptional({ example: '(2026)鄂0102民初1234号', minLength: 1, maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 100)
  courtCaseNumber?: string;

  // No `default` in the document for optional body fields: generated clients (openapi-typescript) make a field with a default required.
  @ApiPropertyOptional({ description: 'court_entrusted case under simple procedure (its mediation period is 7 days); false when omitted' })
  @IsOptional()
  @IsBoolean()
  simpleProcedure?: boolean;

  @ApiProperty({ enum: DISPUTE_TYPES, example: 'wage_arrears' }) @IsIn(DISPUTE_TYPES) disputeType: DisputeType;
  @ApiProperty({ example: '拖欠三个月工资', minLength: 1, maxLength: 5000 }) @Trim() @IsString() @Length(1, 5000) summary: string;
  @IsMoney() claimAmount: string;

  @ApiProperty({ type: ApplicantDto })
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant: ApplicantDto;

  @ApiProperty({ type: RespondentDto })
  @IsObject()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => RespondentDto)
  respondent: RespondentDto;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100000,
    example: 1,
    description: 'workers on the applicant side (1 when omitted); 3 or more is a collective dispute',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  workerCount?: number;

  @ApiPropertyOptional({ type: [RepresentativeDto], description: 'elected representatives of a collective dispute (workerCount >= 3)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RepresentativeDto)
  representatives?: RepresentativeDto[];
  @IsInstant({ optional: true, description: 'defaults to now; not in the future' }) receivedAt?: string;

  @ApiPropertyOptional({
    description: 'a court case only: the mediation deadline the court set (a real calendar date YYYY-MM-DD, or a date-time), within a year of receipt',
  })
  @IsOptional()
  @Matches(MEDIATION_DEADLINE, { message: 'mediationDeadline must be YYYY-MM-DD or an ISO 8601 date-time' })
  mediationDeadline?: string;

  /**
   * The validation pipe's quick path (see QuicklyAccepted): the instance that the decorators above
   * would give for an intake of the usual shape (no representatives, no agents, no nulls), when
   * every field is plainly valid by the same class-validator checks; else undefined, and the full
   * validation decides and words every error. The full one costs some 12% of an intake's CPU (issue 17).
   */
  static accept(input: unknown): CreateCaseDto | undefined {
    return acceptFields(() => new CreateCaseDto(), QUICK_CASE_FIELDS, REQUIRED_CASE_FIELDS, input);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** @Trim() then @IsString() @Length(min, max): the trimmed string, or undefined. */
const trimmed = (minLength: number, maxLength: number) => (v: unknown) =>
  typeof v === 'string' && length(v.trim(), minLength, maxLength) ? v.trim() : undefined;
const matching = (pattern: RegExp) => (v: unknown) => (typeof v === 'string' && matches(v, pattern) ? v : undefined);
const INSTANT_OPTIONS = { strict: true, strictSeparator: true };

/** A field's quick check: the value as the decorators would give it when it is plainly valid, else undefined. */
type QuickChecks<T> = { [K in keyof T]?: (value: unknown) => T[K] | undefined };

/**
 * `input`'s fields, each through its quick check, on a new instance (in the input's order, as
 * class-transformer sets them); undefined when a field has no check or fails it, or a required one is missing.
 */
function acceptFields<T extends object>(make: () => T, checks: QuickChecks<T>, required: ReadonlyArray<keyof T>, input: unknown): T | undefined {
  if (!isPlainObject(input)) return undefined;
  const accepted = make();
  for (const [key, value] of Object.entries(input)) {
    const check = Object.hasOwn(checks, key) ? checks[key as keyof T] : undefined;
    const field = check?.(value);
    if (field === undefined) return undefined;
    accepted[key as keyof T] = field;
  }
  return required.every((key) => accepted[key] !== undefined) ? accepted : undefined;
}

/** Each party field as the decorators transform it when it is plainly valid, else undefined (agents: the full validation). */
const QUICK_PARTY_FIELDS: { [K in Exclude<keyof PartyDto, 'agent'>]-?: (value: unknown) => PartyDto[K] | undefined } = {
  kind: (v) => (isIn(v, PARTY_KINDS) ? (v as PartyDto['kind']) : undefined),
  name: trimmed(1, 200),
  idNumber: matching(ID_NUMBER),
  creditCode: matching(ID_NUMBER),
  phone: matching(PHONE),
  address: trimmed(1, 300),
};

const quickParty =
  <T extends PartyDto>(Party: new () => T) =>
  (input: unknown): T | undefined =>
    acceptFields(() => new Party(), QUICK_PARTY_FIELDS as QuickChecks<T>, ['name'], input);

/** Each intake field as the decorators transform it when it is plainly valid, else undefined (representatives: the full validation). */
const QUICK_CASE_FIELDS: { [K in Exclude<keyof CreateCaseDto, 'representatives'>]-?: (value: unknown) => CreateCaseDto[K] | undefined } = {
  workstationId: (v) => (isUUID(v) ? (v as string) : undefined),
  source: (v) => (isIn(v, CASE_SOURCES) ? (v as CaseSource) : undefined),
  courtCaseNumber: trimmed(1, 100),
  simpleProcedure: (v) => (typeof v === 'boolean' ? v : undefined),
  disputeType: (v) => (isIn(v, DISPUTE_TYPES) ? (v as DisputeType) : undefined),
  summary: trimmed(1, 5000),
  claimAmount: matching(MONEY_PATTERN),
  applicant: quickParty(ApplicantDto),
  respondent: quickParty(RespondentDto),
  workerCount: (v) => (isInt(v) && min(v, 1) && max(v, 100000) ? (v as number) : undefined),
  receivedAt: (v) => (typeof v === 'string' && maxLength(v, 40) && isISO8601(v, INSTANT_OPTIONS) ? v : undefined),
  mediationDeadline: matching(MEDIATION_DEADLINE),
};

/** The intake's required fields (those without @IsOptional above). */
const REQUIRED_CASE_FIELDS: ReadonlyArray<keyof CreateCaseDto> = [
  'workstationId',
  'source',
  'disputeType',
  'summary',
  'claimAmount',
  'applicant',
  'respondent',
];
