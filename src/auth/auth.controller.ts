import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { ApiErrors } from '../common/openapi/api-errors';
import { UserViewDto } from '../users/user.response';
import { AuthUser } from './auth-user';
import { LoginDto } from './auth.dto';
import { LoginResponseDto } from './auth.response';
import { AuthService } from './auth.service';
import { CurrentUser, Public } from './decorators';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Rate-limited per client address (LOGIN_RATE_LIMIT a minute): 429 beyond it. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ login: {} })
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with a username and password',
    description:
      'Returns a short-lived access token (JWT) and the signed-in user. Send the token as `Authorization: Bearer <accessToken>` on every other call. ' +
      'Rate-limited per client address (429 beyond LOGIN_RATE_LIMIT a minute).\n\n用户名和密码登录，返回访问令牌与当前用户；超过频率限制返回 429。',
    security: [],
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.username, dto.password);
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOperation({
    summary: 'The signed-in user',
    description: 'The user the token belongs to, as stored now (role, workstation, active).\n\n当前登录用户。',
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser) {
    return this.auth.me(user);
  }
}
