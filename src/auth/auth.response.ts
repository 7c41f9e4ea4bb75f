import { ApiProperty } from '@nestjs/swagger';
import { UserViewDto } from '../users/user.response';

export class LoginResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl', description: 'send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;
  @ApiProperty({ type: UserViewDto }) user: UserViewDto;
}
