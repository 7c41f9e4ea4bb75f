import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthUser } from '../accounts-core/auth-user';
import { UserViewDto } from './user.response';
import { clientAddress } from '../accounts-core/client-address';
import { CurrentUser, Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { ApiErrors } from '../common/openapi/api-errors';
import { CreateUserDto, ListUsersQuery, PasswordResetResponseDto, UpdateUserDto } from './user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Create a user (admin)', description: '新建用户。Password: at least 10 characters, not common, not the username, not only spaces.' })
  @ApiCreatedResponse({ type: UserViewDto })
  @ApiErrors(400, 401, 403, 409)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateUserDto, @Req() req: FastifyRequest) {
    return this.users.create(dto, { actor: user, ip: clientAddress(req) });
  }

  /** Scoped: union staff and clerks see the users of their own workstation only. */
  @Get()
  @Roles(Role.Admin, Role.UnionStaff, Role.CourtClerk)
  @ApiOperation({ summary: 'List users', description: '用户列表 (people; service accounts are at /service-accounts). Union staff and clerks see their own workstation only.' })
  @ApiOkResponse({ type: [UserViewDto] })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: AuthUser, @Query() query: ListUsersQuery) {
    return this.users.list(user, query);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Change a user (admin)',
    description: '修改用户：姓名、角色、工作室、电话、启用/停用。A role, workstation or active change ends the user\'s tokens within 5 s. An admin cannot change their own role or deactivate themselves (409); a mediator with open cases cannot leave its workstation (409).',
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto, @Req() req: FastifyRequest) {
    return this.users.update({ actor: user, ip: clientAddress(req) }, id, dto);
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Reset a user\'s password (admin)',
    description: '重置密码：返回一次性显示的临时密码；用户下次登录后必须先修改密码 (login answers mustChangePassword: true; other endpoints answer 403 PASSWORD_CHANGE_REQUIRED until POST /auth/password). Ends the user\'s tokens.',
  })
  @ApiOkResponse({ type: PasswordResetResponseDto })
  @ApiErrors(400, 401, 403, 404)
  resetPassword(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest) {
    return this.users.resetPassword({ actor: user, ip: clientAddress(req) }, id);
  }
}
