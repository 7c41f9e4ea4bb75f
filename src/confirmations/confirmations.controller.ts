import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser } from '../accounts-core/decorators';
import { CaseView, ConfirmationView } from '../cases/dto/case.response';
import { ExpectedVersion } from '../common/expected-version';
import { ApiErrors } from '../common/openapi/api-errors';
import { ApiIfMatch, ApiUuidParam } from '../common/openapi/api-params';
import { AcceptanceDto, ListConfirmationsQuery, RequestConfirmationDto, RulingDto, RulingExtensionDto, WaiveConfirmationDto } from './confirmation.dto';
import { ConfirmationPage } from './confirmation.response';
import { ConfirmationsService } from './confirmations.service';


@ApiTags('confirmations')
@ApiBearerAuth()
@Controller()
export class ConfirmationsController {
  constructor(private readonly confirmations: ConfirmationsService) {}

  @Post('cases/:id/confirmation-request')
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

  @Post('cases/:id/confirmation-waiver')
  @HttpCode(200)
  @ApiOperation({ summary: 'The parties waive judicial confirmation', description: '当事人放弃申请司法确认：记录在案，申请提醒停止；案件仍为“达成调解协议”。' })
  @ApiOkResponse({ type: CaseView })
  @ApiErrors(400, 401, 403, 404, 409)
  waive(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: WaiveConfirmationDto, @ExpectedVersion() version?: number) {
    return this.confirmations.waive(user, caseId, dto, version);
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

  @Post('confirmations/:id/acceptance')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The court accepts the request or does not',
    description: '法院在收到申请后 3 日内决定是否受理（法释〔2011〕5号第四条）：accepted 须填调确号，审查期限自受理起 15 日；not_accepted 须说明理由。',
  })
  @ApiOkResponse({ type: ConfirmationView })
  @ApiErrors(400, 401, 403, 404, 409)
  acceptance(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AcceptanceDto, @ExpectedVersion() version?: number) {
    return this.confirmations.decideAcceptance(user, id, dto, version);
  }

  @Post('confirmations/:id/extension')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend the ruling period once by 10 days', description: '审查期限经批准可延长 10 日（自受理起共 25 日），只能延长一次（法释〔2011〕5号第五条）。' })
  @ApiOkResponse({ type: ConfirmationView })
  @ApiErrors(400, 401, 403, 404, 409)
  extend(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RulingExtensionDto, @ExpectedVersion() version?: number) {
    return this.confirmations.extendRuling(user, id, dto, version);
  }

  @Post('confirmations/:id/ruling')
  @HttpCode(200)
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
