import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { Role, ROLES } from '../auth/role.enum';

export class CreateUserDto {
  @ApiProperty({ example: 'zhang.wei', pattern: '^[A-Za-z0-9_.-]{3,64}$' })
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'username must be 3-64 characters of A-Z a-z 0-9 _ . -' })
  username: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'a-long-password-1' }) @IsString() @Length(8, 128) password: string;
  @ApiProperty({ example: '张伟', minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) displayName: string;
  @ApiProperty({ enum: ROLES, example: 'mediator' }) @IsIn(ROLES) role: Role;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'required for mediators and court clerks; none for admins; omit for city-level union staff' })
  @IsOptional()
  @IsUUID()
  workstationId?: string;

  @ApiPropertyOptional({ example: '13800000000', pattern: '^[0-9+ -]{5,20}$' }) @IsOptional() @Matches(/^[0-9+ -]{5,20}$/, { message: 'phone must be 5-20 digits' }) phone?: string;
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) @IsOptional() @IsUUID() workstationId?: string;
}

/** What the API shows of a user: never a password or its hash. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  workstationId: string | null;
  phone: string | null;
  active: boolean;
}
