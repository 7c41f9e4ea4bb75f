import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser, Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { ExpectedVersion } from '../common/expected-version';
import { ApiErrors } from '../common/openapi/api-errors';
import { ApiIfMatch, ApiUuidParam } from '../common/openapi/api-params';
import { HeavyReadGate } from '../heavy-reads/heavy-read-gate';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CaseCorrectionsService } from './case-corrections.service';
import { CaseCourtService } from './case-court.service';
import { CaseIntakeService } from './case-intake.service';
import { CaseTransitionsService } from './case-transitions.service';
import { listHeavyRead } from './case-query';
import { CasesService } from './cases.service';
import { AssignDto, CorrectionDto, CourtOutcomeDto, ExtensionDto, FailureDto, NoteDto, ReasonDto, RenegotiationDto, VoidDto } from './dto/case-actions.dto';
import { CaseDetail, CaseEventView, CasePage, CaseView, MediatorSuggestion } from './dto/case.response';
import { CreateCaseDto } from './dto/create-case.dto';
import { ListCasesQuery } from './dto/list-cases.query';

const CaseId = () => Param('id', new ParseUUIDPipe({ version: undefined }));
const ApiCaseId = () => ApiUuidParam('id', 'the case id');

/**
 * Case actions carry no @Roles: who may take each one (by role, state, source and assignment)
 * is read from the lifecycle table (case-lifecycle.ts) inside the service's transaction.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly intake: CaseIntakeService,
    private readonly transitions: CaseTransitionsService,
    private readonly corrections: CaseCorrectionsService,
    private readonly court: CaseCourtService,
    private readonly heavyReads: HeavyReadGate,
  ) {}

  @Post()
  @Idempotent()
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
    return this.intake.create(user, dto);
  }

  @Get()
  @ApiOperation({
    summary: 'List and search cases',
    description:
      'The cases in your scope (mediators: assigned to them; workstation staff and clerks: their workstation), newest received first, with filters and search. ' +
      'Identity numbers are always masked in the list. Pages reach the first 10,000 cases, the first 500 matches of a search (400 beyond: narrow the filters or use the CSV export); a search for anything but a case number is limited per user and per server (429 with Retry-After).\n\n' +
      '案件列表与检索（按案号、当事人名称、法院案号），列表中身份证号一律脱敏。',
  })
  @ApiOkResponse({ type: CasePage })
  @ApiErrors(400, 401, 429)
  list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    // A search is a heavy read (HeavyReadGate), a list is not: run here rather than by @HeavyRead's
    // interceptor, which would put every list through Nest's RxJS interceptor pipeline (issue 17).
    const kind = listHeavyRead(query as unknown as Record<string, unknown>);
    return kind ? this.heavyReads.run(user, kind, reply.raw, () => this.cases.list(user, query)) : this.cases.list(user, query);
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

  @Patch(':id')
  @ApiOperation({
    summary: "Correct a case's registered facts",
    description: '更正登记信息（当事人、案情摘要、请求金额、争议类型、法院案号）：工会工作人员在结案前、管理员任何时候；时间线记录更正前后的值。Correct parties, summary, claim, dispute type, court case number; the timeline records old and new values.',
  })
  @ApiOkResponse({ type: CaseView })
  @ApiErrors(400, 401, 403, 404, 409)
  correct(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: CorrectionDto, @ExpectedVersion() version?: number) {
    return this.corrections.correct(user, id, dto, version);
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
    return this.transitions.assign(user, id, dto, version);
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
  @Idempotent()
  addNote(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: NoteDto, @ExpectedVersion() version?: number) {
    return this.transitions.addNote(user, id, dto, version);
  }

  @Post(':id/failure')
  @HttpCode(200)
  @ApiCaseId()
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Mediation failed: the case is handed on',
    description:
      'A case still open (or whose confirmation was rejected) becomes `failed`; booked sessions are cancelled and reminders stop. A court case is returned to the court ' +
      '(handOff returned_to_court, the workstation\'s clerks notified at once); any other case is referred to arbitration (default) or none.\n\n' +
      '调解不成：法院委派、委托的案件退回法院（立案或恢复审理，立即通知本工作室书记员）；其他案件告知申请劳动争议仲裁。',
  })
  @ApiOkResponse({ type: CaseView, description: 'the updated case' })
  @ApiErrors(400, 401, 403, 404, 409)
  fail(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: FailureDto, @ExpectedVersion() version?: number) {
    return this.transitions.fail(user, id, dto, version);
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
    return this.transitions.withdraw(user, id, dto, version);
  }

  @Post(':id/void')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Void a mistaken entry',
    description: '作废误登记的案件（重复、登错工作室、测试）：案号仍占用（编号连续），显示为“作废”，不计入任何统计。',
  })
  @ApiOkResponse({ type: CaseView })
  @ApiErrors(400, 401, 403, 404, 409)
  void(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: VoidDto, @ExpectedVersion() version?: number) {
    return this.corrections.void(user, id, dto, version);
  }

  @Post(':id/extension')
  @Idempotent()
  @HttpCode(200)
  @ApiCaseId()
  @ApiIfMatch()
  @ApiOperation({
    summary: 'Extend the mediation period',
    description:
      'Moves the deadline of an open case by `days`: both parties agreed (agreedBy), and for a court case the court approved (courtApproval); all extensions together at most ' +
      'MAX_EXTENSION_DAYS (default 30). The overdue flag is cleared and the reminders move.\n\n延长调解期限（双方同意；法院案件须法院同意；累计不超过 MAX_EXTENSION_DAYS）。',
  })
  @ApiOkResponse({ type: CaseView, description: 'the updated case' })
  @ApiErrors(400, 401, 403, 404, 409)
  extend(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: ExtensionDto, @ExpectedVersion() version?: number) {
    return this.transitions.extend(user, id, dto, version);
  }

  @Post(':id/court-outcome')
  @HttpCode(200)
  @ApiOperation({
    summary: "The court's outcome of an entrusted case",
    description: '委托调解（已立案）案件达成协议后，由法院出具民事调解书（mediation_document，须填调解书案号）或准予撤诉（suit_withdrawn）结案：court_concluded。',
  })
  @ApiOkResponse({ type: CaseView })
  @ApiErrors(400, 401, 403, 404, 409)
  courtOutcome(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: CourtOutcomeDto, @ExpectedVersion() version?: number) {
    return this.court.recordCourtOutcome(user, id, dto, version);
  }

  @Post(':id/renegotiation')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mediate again after a rejected confirmation',
    description: '司法确认被驳回或不予受理后，当事人可以变更原调解协议或达成新的调解协议：案件回到调解中（新的调解期限），原协议与确认申请保留为已被取代。',
  })
  @ApiOkResponse({ type: CaseView })
  @ApiErrors(400, 401, 403, 404, 409)
  renegotiate(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: RenegotiationDto, @ExpectedVersion() version?: number) {
    return this.court.renegotiate(user, id, dto, version);
  }
}
