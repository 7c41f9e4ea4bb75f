import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser, Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { CaseView } from '../cases/dto/case.response';
import { ApiErrors } from '../common/openapi/api-errors';
import { ConsultationListDto, ConsultationResponseDto, ConvertConsultationDto, CreateConsultationDto, ListConsultationsQuery } from './consultation.dto';
import { ConsultationsService } from './consultations.service';

@ApiTags('consultations')
@ApiBearerAuth()
@Controller('consultations')
@Roles(Role.Admin, Role.UnionStaff)
export class ConsultationsController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Post()
  @ApiOperation({ summary: 'Log a consultation', description: '登记窗口接待、热线、来访咨询：时间、渠道、咨询人、用人单位、问题、解答与处理结果。咨询不是案件，没有调解期限。' })
  @ApiCreatedResponse({ type: ConsultationResponseDto })
  @ApiErrors(400, 401, 403)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateConsultationDto) {
    return this.consultations.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The consultation log', description: '咨询登记簿（按时间倒序），可按工作室、渠道、处理结果、日期和关键字筛选。' })
  @ApiOkResponse({ type: ConsultationListDto })
  @ApiErrors(400, 401, 403)
  list(@CurrentUser() user: AuthUser, @Query() query: ListConsultationsQuery) {
    return this.consultations.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One consultation', description: '一条咨询记录。' })
  @ApiOkResponse({ type: ConsultationResponseDto })
  @ApiErrors(401, 403, 404)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.consultations.get(user, id);
  }

  @Post(':id/convert')
  @ApiOperation({ summary: 'Convert a consultation into a case', description: '一步将咨询转为调解案件：带入咨询人、用人单位与问题，案件开始计算调解期限；咨询记录为“转为调解案件”。' })
  @ApiCreatedResponse({ type: CaseView })
  @ApiErrors(400, 401, 403, 404, 409)
  convert(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ConvertConsultationDto) {
    return this.consultations.convert(user, id, dto);
  }
}
