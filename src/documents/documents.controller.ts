import { Controller, Get, Param, ParseUUIDPipe, Query, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser } from '../accounts-core/decorators';
import { ApiErrors, ApiFileResponse } from '../common/openapi/api-errors';
import { HeavyRead } from '../heavy-reads/heavy-read.decorator';
import { AuditedExport } from '../audit/audited-export';
import { StatsPeriodQuery } from '../stats/dto/stats.query';
import { CASE_DOCUMENT_KINDS } from './case-documents';
import { CjkFontMissingError } from './cjk-fonts';
import { DocumentsService } from './documents.service';
import { sendPdf } from './pdf-response';
import { renderStatsReport, STATS_REPORT_TITLE } from './stats-report-pdf';
import { StatsReportService } from './stats-report.service';
import { renderStatsReportXlsx } from './stats-report-xlsx';
import { contentDisposition } from '../common/content-disposition';
import { XLSX_CONTENT_TYPE } from '../stats/case-export-xlsx';

/** Fonts missing on the server is an outage of the document service, not a bug in the request. */
async function withFonts<T>(make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (e) {
    if (e instanceof CjkFontMissingError) throw new ServiceUnavailableException('Document fonts are not installed on the server');
    throw e;
  }
}

@ApiTags('documents')
@ApiBearerAuth()
@Controller('cases')
export class CaseDocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':id/documents/:kind.pdf')
  @ApiOperation({
    summary: "A case's document as PDF",
    description:
      '受理登记表 (registration), 调解协议书 (agreement), 司法确认申请书 (confirmation-application), 调解不成/终止调解通知书 (failure-notice): A4, Chinese, fonts embedded. ' +
      'Scoped as the case (404 outside it); 409 where the case\'s state makes the document meaningless (e.g. an agreement before there is one). ' +
      'Identity numbers are whole only for the assigned mediator, the workstation\'s court clerk and admins.',
  })
  @ApiParam({ name: 'kind', enum: CASE_DOCUMENT_KINDS })
  @ApiFileResponse('the PDF (Content-Disposition inline, with the Chinese file name)', 'application/pdf')
  @ApiErrors(400, 401, 404, 409, 503)
  async caseDocument(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Param('kind') kind: string,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const { fileName, pdf } = await withFonts(() => this.documents.caseDocument(user, id, kind));
    sendPdf(res, fileName, pdf);
  }
}

@ApiTags('stats')
@ApiBearerAuth()
@Controller('stats')
export class StatsReportController {
  constructor(private readonly reports: StatsReportService) {}

  @Get('report.pdf')
  @ApiOperation({
    summary: 'The statistics report as PDF',
    description: '统计报表: the figures, a monthly chart and table, and the breakdowns by dispute type, mediator and workstation, for a period and scope (same rules as /stats/summary).',
  })
  @ApiFileResponse('the PDF', 'application/pdf')
  @ApiErrors(400, 401, 404, 429, 503)
  @HeavyRead('report')
  @AuditedExport('stats.exported')
  async reportPdf(@CurrentUser() user: AuthUser, @Query() query: StatsPeriodQuery, @Res() res: FastifyReply): Promise<void> {
    const report = await this.reports.report(user, query);
    const pdf = await withFonts(() => renderStatsReport(report));
    sendPdf(res, `${STATS_REPORT_TITLE}-${report.summary.from}-${report.summary.to}.pdf`, pdf);
  }

  @Get('report.xlsx')
  @ApiOperation({
    summary: 'The statistics report as an Excel workbook',
    description: '统计报表 (.xlsx): one sheet per table (主要指标, 分月统计, 按纠纷类型, 按调解员, 按工作室), counts and amounts as numbers (#,##0.00), rates as percentages.',
  })
  @ApiFileResponse('the workbook', XLSX_CONTENT_TYPE)
  @ApiErrors(400, 401, 404, 429)
  @HeavyRead('report')
  @AuditedExport('stats.exported')
  async reportXlsx(@CurrentUser() user: AuthUser, @Query() query: StatsPeriodQuery, @Res() res: FastifyReply): Promise<void> {
    const report = await this.reports.report(user, query);
    const body = await renderStatsReportXlsx(report);
    void res
      .code(200)
      .headers({
        'Content-Type': XLSX_CONTENT_TYPE,
        'Content-Length': String(body.length),
        'Content-Disposition': contentDisposition('attachment', `${STATS_REPORT_TITLE}-${report.summary.from}-${report.summary.to}.xlsx`),
        'Cache-Control': 'no-store',
      })
      .send(body);
  }
}
