import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Assert, Same } from '../common/openapi/same-shape';
import { UserViewDto } from '../users/user.response';
import type { AuthService } from './auth.service';

export class LoginResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl', description: 'send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;
  @ApiProperty({ type: UserViewDto }) user: UserViewDto;
  @ApiPropertyOptional({ enum: [true], description: 'present (true) only when the password must be changed (POST /auth/password) before anything else works' })
  mustChangePassword?: true;
}

/** The class documents exactly what AuthService.login answers (a type error otherwise). */
export type LoginResponseDocumented = Assert<Same<Awaited<ReturnType<AuthService['login']>>, LoginResponseDto>>;
