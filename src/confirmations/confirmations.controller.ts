import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators';
import { CaseResponseDto } from '../cases/dto/case-response.dto';
import { ExpectedVersion } from '../common/expected-version';
import { ApiErrors } from '../common/openapi/api-errors';
import { AcceptanceDto, ConfirmationResponseDto, ListConfirmationsQuery, RequestConfirmationDto, RulingDto, RulingExtensionDto, WaiveConfirmationDto } from './confirmation.dto';
import { ConfirmationsService } from './confirmations.service';

/** No @Roles: who may take each step is read from the lifecycle table (case-lifecycle.ts). */
@ApiTags('confirmations')
@ApiBearerAuth()
@Controller()
export class ConfirmationsController {
  constructor(private readonly confirmations: ConfirmationsService) {}

  @Post('cases/:id/confirmation-request')
  @ApiOperation({
    summary: 'The parties jointly apply for judicial confirmation',
    description: '双方当事人共同申请司法确认（调解协议生效之日起 30 日内）。委托调解（已立案）的案件不适用，返回 409 并说明原因。',
  })
  @ApiCreatedResponse({ type: CaseResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  request(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: RequestConfirmationDto, @ExpectedVersion() version?: number) {
    return this.confirmations.request(user, caseId, dto, version);
  }

  @Post('cases/:id/confirmation-waiver')
  @HttpCode(200)
  @ApiOperation({ summary: 'The parties waive judicial confirmation', description: '当事人放弃申请司法确认：记录在案，申请提醒停止；案件仍为“达成调解协议”。' })
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  waive(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: WaiveConfirmationDto, @ExpectedVersion() version?: number) {
    return this.confirmations.waive(user, caseId, dto, version);
  }

  @Get('confirmations')
  list(@CurrentUser() user: AuthUser, @Query() query: ListConfirmationsQuery) {
    return this.confirmations.list(user, query);
  }

  @Post('confirmations/:id/acceptance')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The court accepts the request or does not',
    description: '法院在收到申请后 3 日内决定是否受理（法释〔2011〕5号第四条）：accepted 须填调确号，审查期限自受理起 15 日；not_accepted 须说明理由。',
  })
  @ApiOkResponse({ type: ConfirmationResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  acceptance(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AcceptanceDto, @ExpectedVersion() version?: number) {
    return this.confirmations.decideAcceptance(user, id, dto, version);
  }

  @Post('confirmations/:id/extension')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend the ruling period once by 10 days', description: '审查期限经批准可延长 10 日（自受理起共 25 日），只能延长一次（法释〔2011〕5号第五条）。' })
  @ApiOkResponse({ type: ConfirmationResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  extend(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RulingExtensionDto, @ExpectedVersion() version?: number) {
    return this.confirmations.extendRuling(user, id, dto, version);
  }

  @Post('confirmations/:id/ruling')
  @HttpCode(200)
  rule(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RulingDto, @ExpectedVersion() version?: number) {
    return this.confirmations.rule(user, id, dto, version);
  }
}
