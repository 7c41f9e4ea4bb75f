import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin', minLength: 1, maxLength: 64 }) @IsString() @Length(1, 64) username: string;
  @ApiProperty({ example: 'change-me-now', minLength: 1, maxLength: 128 }) @IsString() @Length(1, 128) password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'the current (or temporary) password' }) @IsString() @Length(1, 128) currentPassword: string;
  @ApiProperty({ minLength: 10, description: 'at least 10 characters, not common, not the username, not only spaces' }) @IsString() @Length(1, 128) newPassword: string;
}

export class LogoutResponseDto {
  @ApiProperty({ example: true }) loggedOut!: boolean;
}
