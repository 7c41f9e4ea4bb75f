import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { ExpectedVersion } from '../common/expected-version';
import { ListConfirmationsQuery, RequestConfirmationDto, RulingDto } from './confirmation.dto';
import { ConfirmationsService } from './confirmations.service';

@ApiTags('confirmations')
@ApiBearerAuth()
@Controller()
export class ConfirmationsController {
  constructor(private readonly confirmations: ConfirmationsService) {}

  @Post('cases/:id/confirmation-request')
  @Roles(Role.Admin, Role.Mediator)
  request(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: RequestConfirmationDto, @ExpectedVersion() version?: number) {
    return this.confirmations.request(user, caseId, dto, version);
  }

  @Get('confirmations')
  list(@CurrentUser() user: AuthUser, @Query() query: ListConfirmationsQuery) {
    return this.confirmations.list(user, query);
  }

  @Post('confirmations/:id/ruling')
  @HttpCode(200)
  @Roles(Role.Admin, Role.CourtClerk)
  rule(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RulingDto, @ExpectedVersion() version?: number) {
    return this.confirmations.rule(user, id, dto, version);
  }
}
