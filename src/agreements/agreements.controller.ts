import { Body, Controller, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators';
import { ExpectedVersion } from '../common/expected-version';
import { RecordAgreementDto, RecordPaymentDto } from './agreement.dto';
import { AgreementsService } from './agreements.service';

@ApiTags('agreements')
@ApiBearerAuth()
/** No @Roles: who may act is read from the lifecycle table (case-lifecycle.ts). */
@Controller()
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Post('cases/:id/agreement')
  record(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: RecordAgreementDto, @ExpectedVersion() version?: number) {
    return this.agreements.record(user, caseId, dto, version);
  }

  @Post('agreements/:id/installments/:n/payment')
  @HttpCode(200)
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
