import { Body, Controller, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { ExpectedVersion } from '../common/expected-version';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { RecordAgreementDto, RecordPaymentDto } from './agreement.dto';
import { AgreementsService } from './agreements.service';

@ApiTags('agreements')
@ApiBearerAuth()
@Controller()
@Roles(Role.Admin, Role.Mediator)
export class AgreementsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Post('cases/:id/agreement')
  @Idempotent()
  record(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) caseId: string, @Body() dto: RecordAgreementDto, @ExpectedVersion() version?: number) {
    return this.agreements.record(user, caseId, dto, version);
  }

  @Post('agreements/:id/installments/:n/payment')
  @Idempotent()
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
