import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsInstant, QueryInt } from '../common/dto/validators';
import { AUDIT_ACTIONS, AuditAction } from './audit-actions';

export class AuditQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() actorId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS }) @IsOptional() @IsIn(AUDIT_ACTIONS) action?: AuditAction;
  @IsInstant({ optional: true, description: 'at or after' }) from?: string;
  @IsInstant({ optional: true, description: 'before' }) to?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @QueryInt() @IsInt() @Min(1) @Max(200) pageSize?: number;
}

export class AuditEntryDto {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for the system (retention job)' }) actorId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '张伟' }) actorName!: string | null;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: AuditAction;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) caseId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the account or record acted upon' }) targetId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' }) ip!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'before/after of a change, filters of an export, …' })
  details!: Record<string, unknown> | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
