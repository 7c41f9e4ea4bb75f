import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsInstant, QueryInt, Trim } from '../common/dto/validators';
import { VersionedDto } from '../cases/dto/case-actions.dto';

export class RequestConfirmationDto extends VersionedDto {
  @IsInstant({ optional: true, description: 'when the parties applied jointly; defaults to now' }) appliedAt?: string;
}

export const RULING_DECISIONS = ['confirmed', 'rejected'] as const;

export class RulingDto extends VersionedDto {
  @ApiProperty({ enum: RULING_DECISIONS, description: 'confirmed: the agreement is valid (确认有效); rejected: the application is dismissed (驳回申请)' }) @IsIn(RULING_DECISIONS) decision: (typeof RULING_DECISIONS)[number];
  @ApiProperty({ example: '(2026)鄂0102民特123号', minLength: 1, maxLength: 100 }) @Trim() @IsString() @Length(1, 100) rulingNumber: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, example: '协议内容违反法律规定', description: 'required when rejected' }) @IsOptional() @Trim() @IsString() @Length(1, 2000) reason?: string;
}

export class ListConfirmationsQuery {
  @ApiPropertyOptional({ enum: ['pending', 'confirmed', 'rejected'], description: 'pending: the queue to rule on' }) @IsOptional() @IsIn(['pending', 'confirmed', 'rejected']) status?: 'pending' | 'confirmed' | 'rejected';
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100) pageSize?: number;
}
