import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsInstant, IsMoney, QueryInt, Trim } from '../common/dto/validators';
import { CASE_SOURCES, CaseSource, DISPUTE_TYPES, DisputeType } from '../case-core/case-lifecycle';
import { PartyDto, PHONE } from '../cases/dto/create-case.dto';
import { CONSULTATION_CHANNELS, CONSULTATION_OUTCOMES, ConsultationChannel, ConsultationOutcome } from './consultation.entity';

const LOGGED_OUTCOMES = CONSULTATION_OUTCOMES.filter((o) => o !== 'converted');

export class CreateConsultationDto {
  @ApiProperty() @IsUUID() workstationId: string;
  @IsInstant({ optional: true, description: 'when; defaults to now' }) consultedAt?: string;
  @ApiProperty({ enum: CONSULTATION_CHANNELS, description: 'window 窗口接待, hotline 热线, visit 来访' }) @IsIn(CONSULTATION_CHANNELS) channel: ConsultationChannel;
  @ApiProperty({ example: '张三', description: 'who asked' }) @Trim() @IsString() @Length(1, 100) name: string;
  @ApiPropertyOptional({ example: '13800000000' }) @IsOptional() @Matches(PHONE, { message: 'phone must be 5-20 digits' }) phone?: string;
  @ApiPropertyOptional({ example: '某某建筑工程有限公司' }) @IsOptional() @Trim() @IsString() @Length(1, 200) employer?: string;
  @ApiProperty({ example: '公司拖欠两个月工资，如何维权？' }) @Trim() @IsString() @Length(1, 5000) question: string;
  @ApiPropertyOptional({ example: '告知可申请调解或劳动仲裁' }) @IsOptional() @Trim() @IsString() @Length(1, 5000) advice?: string;
  @ApiProperty({ enum: LOGGED_OUTCOMES, description: 'what followed (converted comes from POST /consultations/:id/convert)' })
  @IsIn(LOGGED_OUTCOMES)
  outcome: Exclude<ConsultationOutcome, 'converted'>;
}

export class ListConsultationsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() workstationId?: string;
  @ApiPropertyOptional({ enum: CONSULTATION_CHANNELS }) @IsOptional() @IsIn(CONSULTATION_CHANNELS) channel?: ConsultationChannel;
  @ApiPropertyOptional({ enum: CONSULTATION_OUTCOMES }) @IsOptional() @IsIn(CONSULTATION_OUTCOMES) outcome?: ConsultationOutcome;
  @ApiPropertyOptional({ example: '2026-01-01', description: 'from this calendar day (Shanghai)' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: 'to this calendar day, inclusive' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date YYYY-MM-DD' }) to?: string;
  @ApiPropertyOptional({ description: 'name, phone, employer or question (substring)' }) @IsOptional() @IsString() @Length(1, 100) q?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 20, maximum: 100 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100) pageSize?: number;
}

/** What a case needs beyond the consultation's facts; the parties default to who asked and their employer. */
export class ConvertConsultationDto {
  @ApiPropertyOptional({ enum: CASE_SOURCES, description: 'defaults to hotline for a hotline call, walk_in otherwise' }) @IsOptional() @IsIn(CASE_SOURCES) source?: CaseSource;
  @ApiProperty({ enum: DISPUTE_TYPES }) @IsIn(DISPUTE_TYPES) disputeType: DisputeType;
  @IsMoney() claimAmount: string;
  @ApiPropertyOptional({ description: "defaults to the consultation's question" }) @IsOptional() @Trim() @IsString() @Length(1, 5000) summary?: string;
  @ApiPropertyOptional({ type: PartyDto, description: 'defaults to who asked (a worker)' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => PartyDto) applicant?: PartyDto;
  @ApiPropertyOptional({ type: PartyDto, description: 'defaults to the employer named' }) @IsOptional() @IsObject() @ValidateNested() @Type(() => PartyDto) respondent?: PartyDto;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 1, description: 'workers on the applicant side (1 when omitted)' }) @IsOptional() @IsInt() @Min(1) @Max(100000) workerCount?: number;
}

export class ConsultationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) workstationId: string;
  @ApiProperty({ format: 'date-time' }) consultedAt: string;
  @ApiProperty({ enum: CONSULTATION_CHANNELS }) channel: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) employer: string | null;
  @ApiProperty() question: string;
  @ApiProperty({ type: String, nullable: true }) advice: string | null;
  @ApiProperty({ enum: CONSULTATION_OUTCOMES }) outcome: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'the case it became (converted)' }) caseId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ConsultationListDto {
  @ApiProperty({ type: [ConsultationResponseDto] }) items: ConsultationResponseDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
