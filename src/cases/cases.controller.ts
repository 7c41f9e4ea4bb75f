import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { ExpectedVersion } from '../common/expected-version';
import { ApiErrors } from '../common/openapi/api-errors';
import { ApiIfMatch, ApiUuidParam } from '../common/openapi/api-params';
import { CasesService } from './cases.service';
import { AssignDto, ExtensionDto, NoteDto, ReasonDto } from './dto/case-actions.dto';
import { CaseDetail, CaseEventView, CasePage, CaseView, MediatorSuggestion } from './dto/case.response';
import { CreateCaseDto } from './dto/create-case.dto';
import { ListCasesQuery } from './dto/list-cases.query';

const CaseId = () => Param('id', new ParseUUIDPipe({ version: undefined }));
const ApiCaseId = () => ApiUuidParam('id', 'the case id');

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @Roles(Role.Admin, Role.UnionStaff, Role.CourtClerk)
  @ApiOperation({
    summary: 'Register a case (intake)',
    description:
      'Registers a case at a workstation and numbers it `{workstation code}-{year}-{000001}` (gap-free per workstation and year). ' +
      'The mediation deadline follows from the source (15 days; 30 for court_assigned; 15, or 7 under simple procedure, for court_entrusted) ' +
      'unless the court sets `mediationDeadline`. Court clerks take in court cases only. Amounts are decimal strings (a JSON number is a 400).\n\n' +
      '案件登记（受理）：按工作室和年度连续编号，自动计算调解期限。',
  })
  @ApiCreatedResponse({ type: CaseView, description: 'the registered case' })
  @ApiErrors(400, 401, 403)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateCaseDto) {
    return this.cases.create(user, dto);
  }

  @Get()
  @ApiOperation({
    summary: 'List and search cases',
    description:
      'The cases in your scope (mediators: assigned to them; workstation staff and clerks: their workstation), newest received first, with filters and search. ' +
      'Identity numbers are always masked in the list. Pages reach the first 10,000 cases (400 beyond: narrow the filters or use the CSV export).\n\n' +
      '案件列表与检索（按案号、当事人名称、法院案号），列表中身份证号一律脱敏。',
  })
  @ApiOkResponse({ type: CasePage })
  @ApiErrors(400, 401)
  list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQuery) {
    return this.cases.list(user, query);
  }

  @Get(':id')
  @ApiCaseId()
  @ApiOperation({
    summary: 'One case with its sessions, agreement and confirmation',
    description:
      'The case with its sessions, agreement (with the installments) and judicial confirmation. 404 for a case outside your scope. ' +
      'The identity number is whole only for the assigned mediator, the workstation\'s court clerk and admins.\n\n案件详情（含调解会谈、调解协议、司法确认）。',
  })
  @ApiOkResponse({ type: CaseDetail })
  @ApiErrors(400, 401, 404)
  get(@CurrentUser() user: AuthUser, @CaseId() id: string) {
    return this.cases.get(user, id);
  }

  @Get(':id/events')
  @ApiCaseId()
  @ApiOperation({
    summary: 'The case timeline',
    description: 'Every transition and change of the case in order (append-only): who, when, what changed before and after.\n\n案件时间线（只追加，不可修改）。',
  })
  @ApiOkResponse({ type: [CaseEventView] })
  @ApiErrors(400, 401, 404)
  events(@CurrentUser() user: AuthUser, @CaseId() id: string) {
    return this.cases.events(user, id);
  }

  @Get(':id/mediator-suggestions')
  @Roles(Role.Admin, Role.UnionStaff)
  @ApiCaseId()
  @ApiOperation({
    summary: 'Suggested mediators for a case',
    description:
      "The active mediators of the case's workstation ranked by open caseload (fewest first), then by concluded cases of the same dispute type.\n\n" +
      '推荐调解员：按在办案件数从少到多，其次按同类纠纷经验排序。',
  })
  @ApiOkResponse({ type: [MediatorSuggestion] })
  @ApiErrors(400, 401, 403, 404)
  suggestions(@CurrentUser() user: AuthUser, @CaseId() id: string) {
    return this.cases.mediatorSuggestions(user, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles(Role.Admin, Role.UnionStaff)
  @ApiCaseId()
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Assign or reassign the mediator',
    description:
      "Assigns an active mediator of the case's workstation: a registered case becomes `assigned`; an assigned case or one in mediation keeps its state with the new mediator. " +
      '409 when the state does not allow it, the version is stale, or the mediator is already assigned.\n\n指派（或改派）调解员。',
  })
  @ApiOkResponse({ type: CaseView, description: 'the updated case' })
  @ApiErrors(400, 401, 403, 404, 409)
  assign(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: AssignDto, @ExpectedVersion() version?: number) {
    return this.cases.assign(user, id, dto, version);
  }

  @Post(':id/notes')
  @ApiCaseId()
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Add a progress note',
    description: 'Appends a progress note (e.g. a call with a party) to the timeline; the case does not change state. Answers the timeline event.\n\n添加调解工作记录。',
  })
  @ApiCreatedResponse({ type: CaseEventView, description: 'the `note_added` event' })
  @ApiErrors(400, 401, 403, 404, 409)
  addNote(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: NoteDto, @ExpectedVersion() version?: number) {
    return this.cases.addNote(user, id, dto, version);
  }

  @Post(':id/failure')
  @HttpCode(200)
  @ApiCaseId()
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Record that mediation failed',
    description: 'A case still open (registered, assigned, in mediation) becomes `failed`; sessions still booked are cancelled and reminders stop.\n\n调解不成：结束调解。',
  })
  @ApiOkResponse({ type: CaseView, description: 'the updated case' })
  @ApiErrors(400, 401, 403, 404, 409)
  fail(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: ReasonDto, @ExpectedVersion() version?: number) {
    return this.cases.fail(user, id, dto, version);
  }

  @Post(':id/withdrawal')
  @HttpCode(200)
  @ApiCaseId()
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Record that the applicant withdrew',
    description: 'A case still open becomes `withdrawn`; sessions still booked are cancelled and reminders stop.\n\n申请人撤回调解申请。',
  })
  @ApiOkResponse({ type: CaseView, description: 'the updated case' })
  @ApiErrors(400, 401, 403, 404, 409)
  withdraw(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: ReasonDto, @ExpectedVersion() version?: number) {
    return this.cases.withdraw(user, id, dto, version);
  }

  @Post(':id/extension')
  @HttpCode(200)
  @ApiCaseId()
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Extend the mediation period',
    description: 'Moves the deadline of an open case by `days` (the parties agreed); the overdue flag is cleared and the reminders move.\n\n延长调解期限。',
  })
  @ApiOkResponse({ type: CaseView, description: 'the updated case' })
  @ApiErrors(400, 401, 403, 404, 409)
  extend(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: ExtensionDto, @ExpectedVersion() version?: number) {
    return this.cases.extend(user, id, dto, version);
  }
}
