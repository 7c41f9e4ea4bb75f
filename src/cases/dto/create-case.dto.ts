import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmptyObject, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsInstant, IsMoney, Trim } from '../../common/dto/validators';
import { CASE_SOURCES, CaseSource, DISPUTE_TYPES, DisputeType } from '../case-lifecycle';

export class ApplicantDto {
  @ApiProperty({ example: '张三' }) @Trim() @IsString() @Length(1, 100) name: string;

  @ApiPropertyOptional({ example: '420102199001011234', description: '身份证号 (18 characters) or another identity document number' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z]{6,32}$/, { message: 'idNumber must be 6-32 letters or digits' })
  idNumber?: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @Matches(/^[0-9+ -]{5,20}$/, { message: 'phone must be 5-20 digits' })
  phone?: string;
}

export class RespondentDto {
  @ApiProperty({ example: '某某建筑工程有限公司' }) @Trim() @IsString() @Length(1, 200) name: string;

  @ApiPropertyOptional({ example: '91420100MA4K0000XX', description: '统一社会信用代码' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z]{6,32}$/, { message: 'creditCode must be 6-32 letters or digits' })
  creditCode?: string;

  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9+ -]{5,20}$/, { message: 'phone must be 5-20 digits' }) phone?: string;
}

export class CreateCaseDto {
  @ApiProperty() @IsUUID() workstationId: string;
  @ApiProperty({ enum: CASE_SOURCES }) @IsIn(CASE_SOURCES) source: CaseSource;

  @ApiPropertyOptional({ example: '(2026)鄂0102民初1234号' })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 100)
  courtCaseNumber?: string;

  @ApiPropertyOptional({ description: 'court case under simple procedure (委托 period is 7 days)' })
  @IsOptional()
  @IsBoolean()
  simpleProcedure?: boolean;

  @ApiProperty({ enum: DISPUTE_TYPES }) @IsIn(DISPUTE_TYPES) disputeType: DisputeType;
  @ApiProperty({ example: '拖欠三个月工资' }) @Trim() @IsString() @Length(1, 5000) summary: string;
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

  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(100000) workerCount?: number;
  @IsInstant({ optional: true, description: 'defaults to now; not in the future' }) receivedAt?: string;

  @ApiPropertyOptional({ description: 'a court case only: the mediation deadline the court set (YYYY-MM-DD or date-time)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, { message: 'mediationDeadline must be YYYY-MM-DD or an ISO 8601 date-time' })
  mediationDeadline?: string;
}
