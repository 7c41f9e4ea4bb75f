import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser, Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { ApiErrors } from '../common/openapi/api-errors';
import { CreateWorkstationDto } from './workstation.dto';
import { WorkstationViewDto } from './workstation.response';
import { WorkstationsService } from './workstations.service';

@ApiTags('workstations')
@ApiBearerAuth()
@Controller('workstations')
export class WorkstationsController {
  constructor(private readonly workstations: WorkstationsService) {}

  @Post()
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Create a workstation (admin)',
    description: 'A workstation run by a court and a union together; its code prefixes its case numbers (409 when the code exists).\n\n管理员创建诉调对接工作室。',
  })
  @ApiCreatedResponse({ type: WorkstationViewDto })
  @ApiErrors(400, 401, 403, 409)
  create(@Body() dto: CreateWorkstationDto) {
    return this.workstations.create(dto);
  }

  /** Admins and city-level union staff see all; everyone else their own workstation. */
  @Get()
  @ApiOperation({
    summary: 'List workstations',
    description: 'By code. Admins and city-level union staff see all; everyone else their own workstation.\n\n工作室列表（按编码排序）。',
  })
  @ApiOkResponse({ type: [WorkstationViewDto] })
  @ApiErrors(401)
  list(@CurrentUser() user: AuthUser) {
    return this.workstations.list(user);
  }
}
