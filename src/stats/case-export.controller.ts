import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser, Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { shanghaiDate } from '../common/business-time';
import { Clock } from '../common/clock';
import { CaseFilterQuery } from '../cases/dto/list-cases.query';
import { ApiErrors, ApiFileResponse } from '../common/openapi/api-errors';
import { writeChunks } from '../common/chunk-writer';
import { HeavyRead } from '../heavy-reads/heavy-read.decorator';
import { AuditedExport } from '../audit/audited-export';
import { writeCaseLedgerXlsx, XLSX_CONTENT_TYPE } from './case-export-xlsx';
import { CaseExportService, ExportRow } from './case-export.service';

/**
 * GET /cases/export.csv lives in the stats module (reports), registered before the cases module
 * so that `cases/export.csv` is matched before `cases/:id`.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseExportController {
  constructor(
    private readonly exporter: CaseExportService,
    private readonly clock: Clock,
  ) {}

  @Get('export.csv')
  @Roles(Role.Admin, Role.UnionStaff, Role.CourtClerk, Role.Mediator)
  @ApiOperation({
    summary: 'Export the case list as CSV',
    description:
      'Every case the list would show with the same filters (no paging), as CSV: UTF-8 with a BOM, Chinese headers, identity numbers masked, ' +
      'dates as Asia/Shanghai calendar days. Sent as a download (`Content-Disposition: attachment`).\n\n导出案件台账（CSV，UTF-8 带 BOM，身份证号脱敏）。',
  })
  @ApiOkResponse({
    description: 'the filtered case list as CSV (UTF-8 with BOM, Chinese headers, identity numbers masked), streamed',
    content: { 'text/csv': { schema: { type: 'string' }, example: '\uFEFF案号,受理日期,...\r\n' } },
    headers: {
      'Content-Disposition': { description: 'attachment; filename="cases-YYYYMMDD.csv" (and a UTF-8 filename*)', schema: { type: 'string' } },
      'Cache-Control': { description: 'no-store', schema: { type: 'string' } },
    },
  })
  @ApiErrors(400, 401, 429)
  @HeavyRead('export')
  @AuditedExport('case.exported')
  async exportCsv(@CurrentUser() user: AuthUser, @Query() filter: CaseFilterQuery, @Res() reply: FastifyReply): Promise<void> {
    // Streamed to the Node response itself (with backpressure), as Fastify allows for @Res().
    const res = reply.raw;
    const chunks = this.exporter.csv(user, filter);
    // The first batch is read before the headers go out, so that a failing query is still a JSON error.
    const first = await chunks.next();
    const filename = `cases-${shanghaiDate(this.clock.now()).replace(/-/g, '')}.csv`;
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(`案件-${filename}`)}`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      if (await writeChunks(res, chunks, first)) res.end();
    } finally {
      await chunks.return(undefined);
    }
  }

  @Get('export.xlsx')
  @Roles(Role.Admin, Role.UnionStaff, Role.CourtClerk, Role.Mediator)
  @ApiOperation({
    summary: 'The filtered case list as an Excel workbook',
    description:
      '案件台账 (.xlsx): the same filters and scope as the list and the CSV, streamed; Chinese headers, amounts as numbers formatted #,##0.00, ' +
      'case numbers, codes and masked identity numbers as text, times and days as dates, frozen header row.',
  })
  @ApiFileResponse('the workbook', XLSX_CONTENT_TYPE)
  @ApiErrors(400, 401, 403, 404, 429)
  @HeavyRead('export')
  @AuditedExport('case.exported')
  async exportXlsx(@CurrentUser() user: AuthUser, @Query() filter: CaseFilterQuery, @Res() reply: FastifyReply): Promise<void> {
    const res = reply.raw;
    const batches = this.exporter.rowBatches(user, filter);
    // The first batch is read before the headers go out, so that a failing query is still a JSON error.
    const first = await batches.next();
    async function* all(): AsyncGenerator<ExportRow[]> {
      if (first.done) return;
      yield first.value;
      yield* batches;
    }
    const filename = `cases-${shanghaiDate(this.clock.now()).replace(/-/g, '')}.xlsx`;
    res.statusCode = 200;
    res.setHeader('Content-Type', XLSX_CONTENT_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(`案件台账-${filename}`)}`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await writeCaseLedgerXlsx(res, all());
    } catch (e) {
      res.destroy(e as Error);
    } finally {
      await batches.return(undefined);
    }
  }
}
