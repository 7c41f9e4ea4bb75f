import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { ExpectedVersion } from '../common/expected-version';
import { ApiErrors } from '../common/openapi/api-errors';
import { CasesService } from './cases.service';
import { CaseResponseDto } from './dto/case-response.dto';
import { AssignDto, CorrectionDto, CourtOutcomeDto, ExtensionDto, FailureDto, NoteDto, ReasonDto, RenegotiationDto, VoidDto } from './dto/case-actions.dto';
import { CreateCaseDto } from './dto/create-case.dto';
import { ListCasesQuery } from './dto/list-cases.query';

const CaseId = () => Param('id', new ParseUUIDPipe({ version: undefined }));

/**
 * Case actions carry no @Roles: who may take each one (by role, state, source and assignment)
 * is read from the lifecycle table (case-lifecycle.ts) inside the service's transaction.
 */
@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({ name: 'If-Match', required: false, description: 'the case version you last saw (alternative to expectedVersion)' })
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
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

  @Patch(':id')
  @ApiOperation({
    summary: "Correct a case's registered facts",
    description: '更正登记信息（当事人、案情摘要、请求金额、争议类型、法院案号）：工会工作人员在结案前、管理员任何时候；时间线记录更正前后的值。Correct parties, summary, claim, dispute type, court case number; the timeline records old and new values.',
  })
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  correct(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: CorrectionDto, @ExpectedVersion() version?: number) {
    return this.cases.correct(user, id, dto, version);
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
  assign(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: AssignDto, @ExpectedVersion() version?: number) {
    return this.cases.assign(user, id, dto, version);
  }

  @Post(':id/notes')
  addNote(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: NoteDto, @ExpectedVersion() version?: number) {
    return this.cases.addNote(user, id, dto, version);
  }

  @Post(':id/failure')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mediation failed: the case is handed on',
    description: '调解不成：法院委派、委托的案件退回法院（立案或恢复审理，handOff returned_to_court，立即通知本工作室书记员）；其他案件告知申请劳动争议仲裁（arbitration，默认）或 none。',
  })
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  fail(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: FailureDto, @ExpectedVersion() version?: number) {
    return this.cases.fail(user, id, dto, version);
  }

  @Post(':id/withdrawal')
  @HttpCode(200)
  withdraw(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: ReasonDto, @ExpectedVersion() version?: number) {
    return this.cases.withdraw(user, id, dto, version);
  }

  @Post(':id/void')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Void a mistaken entry',
    description: '作废误登记的案件（重复、登错工作室、测试）：案号仍占用（编号连续），显示为“作废”，不计入任何统计。',
  })
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  void(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: VoidDto, @ExpectedVersion() version?: number) {
    return this.cases.void(user, id, dto, version);
  }

  @Post(':id/extension')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extend the mediation period',
    description: '延长调解期限：须记录双方当事人同意（agreedBy: [applicant, respondent]），法院案件须经法院同意（courtApproval），累计不超过 MAX_EXTENSION_DAYS（默认 30 日）。',
  })
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  extend(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: ExtensionDto, @ExpectedVersion() version?: number) {
    return this.cases.extend(user, id, dto, version);
  }

  @Post(':id/court-outcome')
  @HttpCode(200)
  @ApiOperation({
    summary: "The court's outcome of an entrusted case",
    description: '委托调解（已立案）案件达成协议后，由法院出具民事调解书（mediation_document，须填调解书案号）或准予撤诉（suit_withdrawn）结案：court_concluded。',
  })
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  courtOutcome(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: CourtOutcomeDto, @ExpectedVersion() version?: number) {
    return this.cases.recordCourtOutcome(user, id, dto, version);
  }

  @Post(':id/renegotiation')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mediate again after a rejected confirmation',
    description: '司法确认被驳回或不予受理后，当事人可以变更原调解协议或达成新的调解协议：案件回到调解中（新的调解期限），原协议与确认申请保留为已被取代。',
  })
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiErrors(400, 401, 403, 404, 409)
  renegotiate(@CurrentUser() user: AuthUser, @CaseId() id: string, @Body() dto: RenegotiationDto, @ExpectedVersion() version?: number) {
    return this.cases.renegotiate(user, id, dto, version);
  }
}
