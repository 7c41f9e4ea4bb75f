import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin', minLength: 1, maxLength: 64 }) @IsString() @Length(1, 64) username: string;
  @ApiProperty({ example: 'change-me-now', minLength: 1, maxLength: 128 }) @IsString() @Length(1, 128) password: string;
}
