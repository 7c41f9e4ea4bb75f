import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { ExpectedVersion } from '../common/expected-version';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CasesService } from './cases.service';
import { AssignDto, ExtensionDto, NoteDto, ReasonDto } from './dto/case-actions.dto';
import { CreateCaseDto } from './dto/create-case.dto';
import { ListCasesQuery } from './dto/list-cases.query';

const CaseId = () => Param('id', new ParseUUIDPipe({ version: undefined }));

@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'the case version you last saw (alternative to expectedVersion)' })
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @Idempotent()
  @Roles(Role.Admin, Role.UnionStaff, Role.CourtClerk)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateCaseDto) {
    return this.cases.create(user, dto);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQuery) {
    return this.cases.list(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @CaseId() id: string) {
    return this.cases.get(user, id);
  }

  @Get(':id/events')
  events(@CurrentUser() user: AuthUser, @CaseId() id: string) {
    return this.cases.events(user, id);
  }

  @Get(':id/mediator-suggestions')
  @Roles(Role.Admin, Role.UnionStaff)
  suggestions(@CurrentUser() user: AuthUser, @CaseId() id: string) {
    return this.cases.mediatorSuggestions(user, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles(Role.Admin, Role.UnionStaff)
  assign(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: AssignDto, @ExpectedVersion() version?: number) {
    return this.cases.assign(user, id, dto, version);
  }

  @Post(':id/notes')
  @Idempotent()
  addNote(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: NoteDto, @ExpectedVersion() version?: number) {
    return this.cases.addNote(user, id, dto, version);
  }

  @Post(':id/failure')
  @HttpCode(200)
  fail(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: ReasonDto, @ExpectedVersion() version?: number) {
    return this.cases.fail(user, id, dto, version);
  }

  @Post(':id/withdrawal')
  @HttpCode(200)
  withdraw(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: ReasonDto, @ExpectedVersion() version?: number) {
    return this.cases.withdraw(user, id, dto, version);
  }

  @Post(':id/extension')
  @Idempotent()
  @HttpCode(200)
  extend(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: ExtensionDto, @ExpectedVersion() version?: number) {
    return this.cases.extend(user, id, dto, version);
  }
}
