import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { ApiErrors } from '../common/openapi/api-errors';
import { AuditPageDto, AuditQuery } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Read the audit log (admin)',
    description: '审计日志：谁在何时查看了完整身份证号、登录（成功与失败）、导出、更正、作废、账号变更。Newest first, filtered by actor, case, action and time.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(400, 401, 403)
  async list(@Query() q: AuditQuery): Promise<AuditPageDto> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const { items, total } = await this.audit.list({
      actorId: q.actorId,
      caseId: q.caseId,
      action: q.action,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      page,
      pageSize,
    });
    return { items, total, page, pageSize };
  }
}
