import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ROLES, Role } from './role.enum';

export class LoginDto {
  @ApiProperty({ example: 'admin' }) @IsString() @Length(1, 64) username: string;
  @ApiProperty({ example: 'change-me-now' }) @IsString() @Length(1, 128) password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'the current (or temporary) password' }) @IsString() @Length(1, 128) currentPassword: string;
  @ApiProperty({ minLength: 10, description: 'at least 10 characters, not common, not the username, not only spaces' }) @IsString() @Length(1, 128) newPassword: string;
}

export class UserViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'zhang.wei' }) username!: string;
  @ApiProperty({ example: '张伟' }) displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) workstationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional({ enum: [true], description: 'present (true) only after an admin reset the password: only GET /auth/me, POST /auth/password and POST /auth/logout work until it is changed' })
  mustChangePassword?: true;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'JWT, sent as Authorization: Bearer <token>' }) accessToken!: string;
  @ApiProperty({ type: UserViewDto }) user!: UserViewDto;
  @ApiPropertyOptional({ enum: [true], description: 'present (true) only when the password must be changed (POST /auth/password) before anything else works' })
  mustChangePassword?: true;
}

export class LogoutResponseDto {
  @ApiProperty({ example: true }) loggedOut!: boolean;
}
