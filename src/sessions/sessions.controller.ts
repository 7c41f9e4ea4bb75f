import { Body, Controller, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser } from '../accounts-core/decorators';
import { SessionView } from '../cases/dto/case.response';
import { ExpectedVersion } from '../common/expected-version';
import { ApiErrors } from '../common/openapi/api-errors';
import { ApiIfMatch, ApiUuidParam } from '../common/openapi/api-params';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ScheduleSessionDto, UpdateSessionDto } from './session.dto';
import { SessionsService } from './sessions.service';


@ApiTags('sessions')
@ApiBearerAuth()
/** No @Roles: who may act is read from the lifecycle table (case-lifecycle.ts). */
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('cases/:id/sessions')
  @ApiUuidParam('id', 'the case id')
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Book a mediation session',
    description:
      'Books a session (onsite, video or phone) of an assigned case or one in mediation, at most a year ahead; the mediator is reminded 24 h and 1 h before.\n\n预约调解会谈。',
  })
  @ApiCreatedResponse({ type: SessionView, description: 'the booked session' })
  @ApiErrors(400, 401, 403, 404, 409)
  @Idempotent()
  schedule(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: ScheduleSessionDto, @ExpectedVersion() version?: number) {
    return this.sessions.schedule(user, caseId, dto, version);
  }

  @Patch('sessions/:id')
  @ApiUuidParam('id', 'the session id')
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Record, move or cancel a session; add notes',
    description:
      'Marks a scheduled session `held` (the first held session moves the case into mediation), `no_show` or `cancelled`; or moves it (`scheduledAt`); ' +
      'or records notes. A session no longer scheduled cannot change status or time (409).\n\n登记会谈结果（已举行、缺席、取消）、改期或记录笔录。',
  })
  @ApiOkResponse({ type: SessionView, description: 'the updated session' })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSessionDto, @ExpectedVersion() version?: number) {
    return this.sessions.update(user, id, dto, version);
  }
}
