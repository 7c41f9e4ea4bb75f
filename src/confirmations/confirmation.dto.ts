import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsInstant, QueryInt, Trim } from '../common/dto/validators';
import { VersionedDto } from '../cases/dto/case-actions.dto';
import { CONFIRMATION_STATUSES, ConfirmationStatus } from '../case-core/confirmation.entity';

export class RequestConfirmationDto extends VersionedDto {
  @IsInstant({ optional: true, description: 'when the parties applied jointly; defaults to now' }) appliedAt?: string;
  @ApiPropertyOptional({ example: '武汉市江岸区人民法院', description: 'the court applied to' }) @IsOptional() @Trim() @IsString() @Length(1, 200) court?: string;
}

export class WaiveConfirmationDto extends VersionedDto {
  @ApiPropertyOptional({ example: '双方当事人表示自愿履行，不申请司法确认' }) @IsOptional() @Trim() @IsString() @Length(1, 2000) reason?: string;
}

export const ACCEPTANCE_DECISIONS = ['accepted', 'not_accepted'] as const;

export class AcceptanceDto extends VersionedDto {
  @ApiProperty({ enum: ACCEPTANCE_DECISIONS, description: 'accepted (受理) or not_accepted (不予受理)' }) @IsIn(ACCEPTANCE_DECISIONS) decision: (typeof ACCEPTANCE_DECISIONS)[number];
  @ApiPropertyOptional({ example: '(2026)鄂0102民特调确12号', description: 'the 调确 number: required when accepted' }) @IsOptional() @Trim() @IsString() @Length(1, 100) acceptanceNumber?: string;
  @ApiPropertyOptional({ description: 'required when not accepted' }) @IsOptional() @Trim() @IsString() @Length(1, 2000) reason?: string;
}

export class RulingExtensionDto extends VersionedDto {
  @ApiProperty({ example: '案情复杂，经院长批准延长十日' }) @Trim() @IsString() @Length(1, 2000) reason: string;
}

export const RULING_DECISIONS = ['confirmed', 'rejected'] as const;

export class RulingDto extends VersionedDto {
  @ApiProperty({ enum: RULING_DECISIONS, description: 'confirmed: the agreement is valid (确认有效); rejected: the application is dismissed (驳回申请)' }) @IsIn(RULING_DECISIONS) decision: (typeof RULING_DECISIONS)[number];
  @ApiProperty({ example: '(2026)鄂0102民特123号', minLength: 1, maxLength: 100 }) @Trim() @IsString() @Length(1, 100) rulingNumber: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, example: '协议内容违反法律规定', description: 'required when rejected' }) @IsOptional() @Trim() @IsString() @Length(1, 2000) reason?: string;
}

export class ListConfirmationsQuery {
  @ApiPropertyOptional({ enum: CONFIRMATION_STATUSES }) @IsOptional() @IsIn(CONFIRMATION_STATUSES) status?: ConfirmationStatus;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 20, maximum: 100 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100) pageSize?: number;
}

