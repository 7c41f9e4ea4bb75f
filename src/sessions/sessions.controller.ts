import { Body, Controller, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators';
import { ExpectedVersion } from '../common/expected-version';
import { ScheduleSessionDto, UpdateSessionDto } from './session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiBearerAuth()
/** No @Roles: who may act is read from the lifecycle table (case-lifecycle.ts). */
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('cases/:id/sessions')
  schedule(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: ScheduleSessionDto, @ExpectedVersion() version?: number) {
    return this.sessions.schedule(user, caseId, dto, version);
  }

  @Patch('sessions/:id')
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSessionDto, @ExpectedVersion() version?: number) {
    return this.sessions.update(user, id, dto, version);
  }
}
