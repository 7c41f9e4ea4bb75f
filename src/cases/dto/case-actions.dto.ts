import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { Trim } from '../../common/dto/validators';

/** Optimistic concurrency: the case version the client last saw (or the If-Match header). */
export class VersionedDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 3, description: 'the case version you last saw; 409 with the current version when stale' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class AssignDto extends VersionedDto {
  @ApiProperty({ type: String, format: 'uuid', description: "an active mediator of the case's workstation" }) @IsUUID() mediatorId: string;
}

export class ReasonDto extends VersionedDto {
  @ApiProperty({ example: '用人单位拒绝调解', minLength: 1, maxLength: 2000 }) @Trim() @IsString() @Length(1, 2000) reason: string;
}

export class ExtensionDto extends VersionedDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 90, example: 10 }) @IsInt() @Min(1) @Max(90) days: number;
  @ApiProperty({ example: '双方同意延长调解期限', minLength: 1, maxLength: 2000 }) @Trim() @IsString() @Length(1, 2000) reason: string;
}

export const CONTACTED_PARTIES = ['applicant', 'respondent', 'both'] as const;

export class NoteDto extends VersionedDto {
  @ApiProperty({ example: '电话联系用人单位人事负责人，约定下周面谈', minLength: 1, maxLength: 5000 }) @Trim() @IsString() @Length(1, 5000) text: string;
  @ApiPropertyOptional({ enum: CONTACTED_PARTIES, description: 'who was contacted' }) @IsOptional() @IsIn(CONTACTED_PARTIES) contactedParty?: (typeof CONTACTED_PARTIES)[number];
}
