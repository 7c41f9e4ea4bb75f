import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../accounts-core/client-address';
import { ApiErrors } from '../common/openapi/api-errors';
import { AuthUser } from '../accounts-core/auth-user';
import { UserViewDto } from '../users/user.response';
import { ChangePasswordDto, LoginDto, LogoutResponseDto } from './auth.dto';
import { LoginResponseDto } from './auth.response';
import { AuthService } from './auth.service';
import { AllowPendingPasswordChange, CurrentUser, Public } from '../accounts-core/decorators';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in with username and password',
    description:
      '登录。Limited per client address (LOGIN_RATE_LIMIT failed logins a minute) and per account (after 5 failures each further one locks the account for 1, 2, 4 … s, at most 15 min): 429 with Retry-After. `mustChangePassword: true` after an admin reset: call POST /auth/password first.',
    security: [],
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest) {
    return this.auth.login(dto.username, dto.password, clientAddress(req));
  }

  @ApiBearerAuth()
  @AllowPendingPasswordChange()
  @Get('me')
  @ApiOperation({ summary: 'The signed-in user', description: '当前登录用户 (works while a password change is pending)' })
  @ApiOkResponse({ type: UserViewDto })
  @ApiErrors(401)
  me(@CurrentUser() user: AuthUser) {
    return this.auth.me(user);
  }

  @ApiBearerAuth()
  @AllowPendingPasswordChange()
  @Post('logout')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log out: every token of the account stops working', description: '退出登录：该账号的所有令牌在 5 秒内失效（本实例立即失效）。' })
  @ApiOkResponse({ type: LogoutResponseDto })
  @ApiErrors(401)
  async logout(@CurrentUser() user: AuthUser, @Req() req: FastifyRequest) {
    await this.auth.logout(user, clientAddress(req));
    return { loggedOut: true };
  }

  @ApiBearerAuth()
  @AllowPendingPasswordChange()
  @Post('password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change your own password',
    description: '修改本人密码：至少 10 个字符，不能是常见密码、不能包含用户名、不能只含空格。Ends every other token of the account and answers with a new one (same shape as login).',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401)
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto, @Req() req: FastifyRequest) {
    return this.auth.changePassword(user, dto.currentPassword, dto.newPassword, clientAddress(req));
  }
}

// Where the domain folders (service accounts) found it before it moved below the accounts.
export { clientAddress };
