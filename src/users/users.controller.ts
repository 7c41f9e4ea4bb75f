import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { ApiErrors } from '../common/openapi/api-errors';
import { CreateUserDto, ListUsersQuery } from './user.dto';
import { UserViewDto } from './user.response';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Create a user (admin)',
    description:
      'Creates a user with a role. Mediators and court clerks need a workstation; admins have none; union staff without one work at city level. ' +
      'A username is unique regardless of case (409 when taken).\n\n管理员创建用户账号（调解员、书记员须指定工作室）。',
  })
  @ApiCreatedResponse({ type: UserViewDto })
  @ApiErrors(400, 401, 403, 409)
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  /** Scoped: union staff and clerks see the users of their own workstation only. */
  @Get()
  @Roles(Role.Admin, Role.UnionStaff, Role.CourtClerk)
  @ApiOperation({
    summary: 'List users',
    description:
      'Users by username (at most 1000). Admins and city-level union staff see everyone; workstation staff and clerks the users of their own workstation.\n\n' +
      '用户列表：工作室人员只能看到本工作室的用户。',
  })
  @ApiOkResponse({ type: [UserViewDto] })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: AuthUser, @Query() query: ListUsersQuery) {
    return this.users.list(user, query);
  }
}
