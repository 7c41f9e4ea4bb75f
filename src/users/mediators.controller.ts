import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthUser } from '../accounts-core/auth-user';
import { clientAddress } from '../accounts-core/client-address';
import { CurrentUser, Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { ApiErrors } from '../common/openapi/api-errors';
import { MediatorRosterService } from './mediator-roster.service';
import { ListMediatorsQuery, MediatorViewDto, UpdateMediatorDto } from './mediator.dto';

@ApiTags('mediators')
@ApiBearerAuth()
@Controller('mediators')
export class MediatorsController {
  constructor(private readonly roster: MediatorRosterService) {}

  @Get()
  @Roles(Role.Admin, Role.UnionStaff)
  @ApiOperation({ summary: 'The mediator roster', description: '调解员名册：专长、资质、特邀、所属单位。Union staff see their own workstation; admins and city-level staff every one (or ?workstationId=).' })
  @ApiOkResponse({ type: [MediatorViewDto] })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: AuthUser, @Query() q: ListMediatorsQuery) {
    return this.roster.list(user, q.workstationId);
  }

  @Patch(':id')
  @Roles(Role.Admin, Role.UnionStaff)
  @ApiOperation({ summary: 'Update a mediator\'s roster entry', description: '维护调解员名册（本工作室）：specialties (dispute types, used by the assignment suggestions), qualifications, invited (特邀调解员), organisation. Outside the caller\'s workstation: 404.' })
  @ApiOkResponse({ type: MediatorViewDto })
  @ApiErrors(400, 401, 403, 404)
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateMediatorDto, @Req() req: FastifyRequest) {
    return this.roster.update({ actor: user, ip: clientAddress(req) }, id, dto);
  }
}
