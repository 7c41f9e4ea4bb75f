import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { Role, ROLES } from '../accounts-core/role.enum';
import { QueryBoolean } from '../common/dto/validators';

export class CreateUserDto {
  @ApiProperty({ example: 'zhang.wei', pattern: '^[A-Za-z0-9_.-]{3,64}$' })
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'username must be 3-64 characters of A-Z a-z 0-9 _ . -' })
  username: string;

  @ApiProperty({ minLength: 10, maxLength: 128, example: 'a-long-password-1', description: 'at least 10 characters, not common, not the username, not only spaces' })
  @IsString()
  @Length(1, 128)
  password: string;
  @ApiProperty({ example: '张伟', minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) displayName: string;
  @ApiProperty({ enum: ROLES, example: 'mediator' }) @IsIn(ROLES) role: Role;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'required for mediators and court clerks; none for admins; omit for city-level union staff' })
  @IsOptional()
  @IsUUID()
  workstationId?: string;

  @ApiPropertyOptional({ example: '13800000000', pattern: '^[0-9+ -]{5,20}$' }) @IsOptional() @Matches(/^[0-9+ -]{5,20}$/, { message: 'phone must be 5-20 digits' }) phone?: string;
}

/** An admin's change of an account; a role, workstation or active change ends the account's tokens. */
export class UpdateUserDto {
  @ApiPropertyOptional({ example: '张伟' }) @IsOptional() @IsString() @Length(1, 100) displayName?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null for admins and city-level union staff' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  workstationId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^[0-9+ -]{5,20}$/, { message: 'phone must be 5-20 digits' })
  phone?: string | null;

  @ApiPropertyOptional({ description: 'false deactivates: the account cannot log in and its tokens stop working within 5 s' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) @IsOptional() @IsUUID() workstationId?: string;
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @QueryBoolean() @IsBoolean() active?: boolean;
}

export class PasswordResetResponseDto {
  @ApiProperty({ example: 'Kx7-pQ2m-Vd9w', description: 'shown once; the user must change it at the next login' }) temporaryPassword!: string;
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
  /** Only present (true) after an admin's reset, until the user sets a new password. */
  mustChangePassword?: true;
}
