import { Body, Controller, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { ExpectedVersion } from '../common/expected-version';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ScheduleSessionDto, UpdateSessionDto } from './session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller()
@Roles(Role.Admin, Role.UnionStaff, Role.Mediator)
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('cases/:id/sessions')
  @Idempotent()
  schedule(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: ScheduleSessionDto, @ExpectedVersion() version?: number) {
    return this.sessions.schedule(user, caseId, dto, version);
  }

  @Patch('sessions/:id')
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSessionDto, @ExpectedVersion() version?: number) {
    return this.sessions.update(user, id, dto, version);
  }
}
