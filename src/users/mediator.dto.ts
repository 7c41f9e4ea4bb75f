import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { DISPUTE_TYPES, DisputeType } from '../common/case-codes';

export class ListMediatorsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'admins and city-level union staff: one workstation (default all)' }) @IsOptional() @IsUUID() workstationId?: string;
}

/** The roster entry union staff keep for a mediator of their workstation. */
export class UpdateMediatorDto {
  @ApiPropertyOptional({ enum: DISPUTE_TYPES, isArray: true, description: 'dispute types the mediator specialises in: suggestions rank by them' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(DISPUTE_TYPES.length)
  @ArrayUnique()
  @IsIn(DISPUTE_TYPES, { each: true })
  specialties?: DisputeType[];

  @ApiPropertyOptional({ type: String, nullable: true, example: '法律职业资格；劳动关系协调师（二级）' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(0, 500)
  qualifications?: string | null;

  @ApiPropertyOptional({ description: '特邀调解员 (invited mediator)' }) @IsOptional() @IsBoolean() invited?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: '江岸区律师协会' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(0, 200)
  organisation?: string | null;
}

export class MediatorViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ example: '李调解' }) displayName!: string;
  @ApiProperty({ format: 'uuid' }) workstationId!: string;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ enum: DISPUTE_TYPES, isArray: true }) specialties!: DisputeType[];
  @ApiProperty({ type: String, nullable: true }) qualifications!: string | null;
  @ApiProperty({ description: '特邀调解员' }) invited!: boolean;
  @ApiProperty({ type: String, nullable: true }) organisation!: string | null;
}
