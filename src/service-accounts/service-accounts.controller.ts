import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthUser } from '../accounts-core/auth-user';
import { clientAddress } from '../auth/auth.controller';
import { CurrentUser, Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { ApiErrors } from '../common/openapi/api-errors';
import { CreatedServiceAccountDto, CreateServiceAccountDto, ServiceAccountViewDto } from './service-account.dto';
import { ServiceAccountsService } from './service-accounts.service';

@ApiTags('service-accounts')
@ApiBearerAuth()
@Controller('service-accounts')
@Roles(Role.Admin)
export class ServiceAccountsController {
  constructor(private readonly accounts: ServiceAccountsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a service account (admin)',
    description: '新建服务账号（法院或工会系统）：角色 court_clerk 或 union_staff，限定工作室。The API key is in this answer only (stored hashed); send it as `Authorization: Bearer <apiKey>`. Its actions appear in timelines and the audit log under its name.',
  })
  @ApiCreatedResponse({ type: CreatedServiceAccountDto })
  @ApiErrors(400, 401, 403)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateServiceAccountDto, @Req() req: FastifyRequest) {
    return this.accounts.create({ actor: user, ip: clientAddress(req) }, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List service accounts (admin)', description: '服务账号列表 (never the key; keyId tells keys apart).' })
  @ApiOkResponse({ type: [ServiceAccountViewDto] })
  @ApiErrors(401, 403)
  list() {
    return this.accounts.list();
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a service account (admin)', description: '吊销服务账号：其 API 密钥立即失效（其他实例 5 秒内）。Answers the revoked account; repeating it is harmless.' })
  @ApiOkResponse({ type: ServiceAccountViewDto })
  @ApiErrors(400, 401, 403, 404)
  revoke(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest) {
    return this.accounts.revoke({ actor: user, ip: clientAddress(req) }, id);
  }
}
