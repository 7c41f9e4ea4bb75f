import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { CaseView, ConfirmationView } from '../cases/dto/case.response';
import { ExpectedVersion } from '../common/expected-version';
import { ApiErrors } from '../common/openapi/api-errors';
import { ApiIfMatch, ApiUuidParam } from '../common/openapi/api-params';
import { ListConfirmationsQuery, RequestConfirmationDto, RulingDto } from './confirmation.dto';
import { ConfirmationPage } from './confirmation.response';
import { ConfirmationsService } from './confirmations.service';


@ApiTags('confirmations')
@ApiBearerAuth()
@Controller()
export class ConfirmationsController {
  constructor(private readonly confirmations: ConfirmationsService) {}

  @Post('cases/:id/confirmation-request')
  @Roles(Role.Admin, Role.Mediator)
  @ApiUuidParam('id', 'the case id')
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Request judicial confirmation of the agreement',
    description:
      'The parties applied jointly to the court for judicial confirmation (司法确认) within 30 days of the agreement taking effect: ' +
      'the case becomes `confirmation_requested` and the request enters the clerks\' queue. 409 after the 30-day window.\n\n' +
      '申请司法确认（协议生效后30日内双方共同申请）。',
  })
  @ApiCreatedResponse({ type: CaseView, description: 'the updated case' })
  @ApiErrors(400, 401, 403, 404, 409)
  request(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: RequestConfirmationDto, @ExpectedVersion() version?: number) {
    return this.confirmations.request(user, caseId, dto, version);
  }

  @Get('confirmations')
  @ApiOperation({
    summary: 'The judicial confirmation queue',
    description:
      'Confirmation requests in your scope: with `status=pending` the clerk\'s queue, oldest request first; otherwise the latest first. ' +
      'Each item carries what the clerk decides on (parties, dispute type, agreed amount) and when the ruling is due.\n\n司法确认申请列表（书记员待办）。',
  })
  @ApiOkResponse({ type: ConfirmationPage })
  @ApiErrors(400, 401)
  list(@CurrentUser() user: AuthUser, @Query() query: ListConfirmationsQuery) {
    return this.confirmations.list(user, query);
  }

  @Post('confirmations/:id/ruling')
  @HttpCode(200)
  @Roles(Role.Admin, Role.CourtClerk)
  @ApiUuidParam('id', 'the confirmation id')
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Record the court\'s ruling',
    description:
      'The court confirms the agreement (the case becomes `confirmed`) or rejects it (`confirmation_rejected`, reason required). ' +
      'Repeating the same ruling answers the same result; a different ruling after one is a 409.\n\n登记法院司法确认裁定（确认有效或驳回申请）。',
  })
  @ApiOkResponse({ type: ConfirmationView, description: 'the ruled confirmation' })
  @ApiErrors(400, 401, 403, 404, 409)
  rule(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RulingDto, @ExpectedVersion() version?: number) {
    return this.confirmations.rule(user, id, dto, version);
  }
}
