import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmptyObject, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsInstant, IsMoney, Trim } from '../../common/dto/validators';
import { CASE_SOURCES, CaseSource, DISPUTE_TYPES, DisputeType } from '../case-lifecycle';

export class ApplicantDto {
  @ApiProperty({ example: '张三', minLength: 1, maxLength: 100 }) @Trim() @IsString() @Length(1, 100) name: string;

  @ApiPropertyOptional({ example: '420102199001011234', pattern: '^[0-9A-Za-z]{6,32}$', description: '身份证号 (18 characters) or another identity document number' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z]{6,32}$/, { message: 'idNumber must be 6-32 letters or digits' })
  idNumber?: string;

  @ApiPropertyOptional({ example: '13800000000', pattern: '^[0-9+ -]{5,20}$' })
  @IsOptional()
  @Matches(/^[0-9+ -]{5,20}$/, { message: 'phone must be 5-20 digits' })
  phone?: string;
}

export class RespondentDto {
  @ApiProperty({ example: '某某建筑工程有限公司', minLength: 1, maxLength: 200 }) @Trim() @IsString() @Length(1, 200) name: string;

  @ApiPropertyOptional({ example: '91420100MA4K0000XX', pattern: '^[0-9A-Za-z]{6,32}$', description: '统一社会信用代码' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z]{6,32}$/, { message: 'creditCode must be 6-32 letters or digits' })
  creditCode?: string;

  @ApiPropertyOptional({ example: '027-85550000', pattern: '^[0-9+ -]{5,20}$' }) @IsOptional() @Matches(/^[0-9+ -]{5,20}$/, { message: 'phone must be 5-20 digits' }) phone?: string;
}

export class CreateCaseDto {
  @ApiProperty({ type: String, format: 'uuid', description: 'the workstation that takes the case in' }) @IsUUID() workstationId: string;
  @ApiProperty({ enum: CASE_SOURCES, example: 'walk_in', description: 'court_entrusted 委托 (filed with the court), court_assigned 委派 (before filing), walk_in, hotline, arbitration_referral' }) @IsIn(CASE_SOURCES) source: CaseSource;

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

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100000, example: 1, description: 'workers on the applicant side (1 when omitted); 3 or more is a collective dispute' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  workerCount?: number;
  @IsInstant({ optional: true, description: 'defaults to now; not in the future' }) receivedAt?: string;

  @ApiPropertyOptional({
    type: String,
    example: '2026-12-31',
    pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    description: 'a court case only: the mediation deadline the court set (YYYY-MM-DD: to 24:00 of that day, Asia/Shanghai; or a date-time)',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, { message: 'mediationDeadline must be YYYY-MM-DD or an ISO 8601 date-time' })
  mediationDeadline?: string;
}
