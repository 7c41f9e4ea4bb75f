import { Body, Controller, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser } from '../accounts-core/decorators';
import { AgreementView, CaseDetail } from '../cases/dto/case.response';
import { ExpectedVersion } from '../common/expected-version';
import { ApiErrors } from '../common/openapi/api-errors';
import { ApiIfMatch, ApiUuidParam } from '../common/openapi/api-params';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { RecordAgreementDto, RecordPaymentDto } from './agreement.dto';
import { AgreementsService } from './agreements.service';


@ApiTags('agreements')
@ApiBearerAuth()
/** No @Roles: who may act is read from the lifecycle table (case-lifecycle.ts). */
@Controller()
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Post('cases/:id/agreement')
  @ApiUuidParam('id', 'the case id')
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Record the mediation agreement',
    description:
      'The parties and the mediator signed: an assigned case or one in mediation becomes `agreement_reached`, with the payment plan if any ' +
      '(installment amounts must add up to agreedAmount, due dates increasing and not before the agreement takes effect). Answers the whole case.\n\n' +
      '登记调解协议（含分期履行计划）。',
  })
  @ApiCreatedResponse({ type: CaseDetail, description: 'the case with its agreement' })
  @ApiErrors(400, 401, 403, 404, 409)
  @Idempotent()
  record(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: RecordAgreementDto, @ExpectedVersion() version?: number) {
    return this.agreements.record(user, caseId, dto, version);
  }

  @Post('agreements/:id/installments/:n/payment')
  @Idempotent()
  @HttpCode(200)
  @ApiUuidParam('id', 'the agreement id')
  @ApiParam({ name: 'n', schema: { type: 'integer', minimum: 1 }, description: 'the installment\'s position in the plan, from 1' })
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Record the payment of an installment',
    description:
      'Marks installment n paid; a breach is cured once no installment is left unpaid past its due date. Repeating the same payment answers the same; ' +
      'a different payment of a paid installment is a 409.\n\n登记分期款项已履行。',
  })
  @ApiOkResponse({ type: AgreementView, description: 'the agreement with its installments' })
  @ApiErrors(400, 401, 403, 404, 409)
  pay(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) agreementId: string,
    @Param('n', ParseIntPipe) n: number,
    @Body() dto: RecordPaymentDto,
    @ExpectedVersion() version?: number,
  ) {
    return this.agreements.recordPayment(user, agreementId, n, dto, version);
  }
}
