import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { CreateWorkstationDto } from './workstation.dto';
import { WorkstationsService } from './workstations.service';

@ApiTags('workstations')
@ApiBearerAuth()
@Controller('workstations')
export class WorkstationsController {
  constructor(private readonly workstations: WorkstationsService) {}

  @Post()
  @Roles(Role.Admin)
  create(@Body() dto: CreateWorkstationDto) {
    return this.workstations.create(dto);
  }

  /** Admins and city-level union staff see all; everyone else their own workstation. */
  @Get()
  list(@CurrentUser() user: AuthUser) {
    return this.workstations.list(user);
  }
}
