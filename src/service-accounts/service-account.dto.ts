import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { Role } from '../accounts-core/role.enum';

export const SERVICE_ACCOUNT_ROLES = [Role.CourtClerk, Role.UnionStaff] as const;
export type ServiceAccountRole = (typeof SERVICE_ACCOUNT_ROLES)[number];

export class CreateServiceAccountDto {
  @ApiProperty({ example: '江岸区人民法院审判系统', description: 'shown as the actor in timelines and the audit log' }) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ enum: SERVICE_ACCOUNT_ROLES }) @IsIn(SERVICE_ACCOUNT_ROLES) role: ServiceAccountRole;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 20, description: 'the workstations it acts for (lists show the first; single cases any of them)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  workstationIds: string[];
}

export class ServiceAccountViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '江岸区人民法院审判系统' }) name!: string;
  @ApiProperty({ example: 'svc.3f9a1c2b' }) username!: string;
  @ApiProperty({ enum: SERVICE_ACCOUNT_ROLES }) role!: ServiceAccountRole;
  @ApiProperty({ type: [String], format: 'uuid' }) workstationIds!: string[];
  @ApiProperty({ description: 'false once revoked' }) active!: boolean;
  @ApiProperty({ example: 'mtk_k3x9q0z1a2b3c4d5', description: 'the public part of the key, to tell keys apart' }) keyId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;
}

export class CreatedServiceAccountDto extends ServiceAccountViewDto {
  @ApiProperty({ example: 'mtk_k3x9q0z1a2b3c4d5_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', description: 'shown once, never again: send as Authorization: Bearer <apiKey>' })
  apiKey!: string;
}
