import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser } from '../accounts-core/decorators';
import { contentDisposition } from '../common/content-disposition';
import { writeChunks } from '../common/chunk-writer';
import { ApiErrors, ApiFileResponse } from '../common/openapi/api-errors';
import { AttachmentDto, UploadAttachmentForm } from './attachment.dto';
import { AttachmentsService } from './attachments.service';

const Uuid = (name: string) => Param(name, new ParseUUIDPipe({ version: undefined }));

@ApiTags('attachments')
@ApiBearerAuth()
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('cases/:id/attachments')
  @ApiOperation({
    summary: 'Upload an attachment to a case',
    description:
      '上传附件 (委派/委托函, 证据, 签署的调解协议书, 身份证明, 其他). multipart/form-data with `file`, `kind`, `note?`, `supersedes?`. ' +
      'At most 20 MB (413, nothing stored); PDF, JPEG, PNG, DOCX or XLSX by content (415 otherwise); SHA-256 recorded. ' +
      'Never overwritten: `supersedes` names the version this one replaces, and both are kept. Scoped as the case (404 outside it). ' +
      'Adds an `attachment_added` event to the timeline.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentForm })
  @ApiCreatedResponse({ type: AttachmentDto })
  @ApiErrors(400, 401, 404, 409, 413, 415)
  upload(@CurrentUser() user: AuthUser, @Uuid('id') caseId: string, @Req() req: FastifyRequest): Promise<AttachmentDto> {
    return this.attachments.upload(user, caseId, req.raw);
  }

  @Get('cases/:id/attachments')
  @ApiOperation({ summary: "A case's attachments", description: '附件列表: every version, oldest first; `supersededById` is null for the current version.' })
  @ApiOkResponse({ type: [AttachmentDto] })
  @ApiErrors(400, 401, 404)
  list(@CurrentUser() user: AuthUser, @Uuid('id') caseId: string): Promise<AttachmentDto[]> {
    return this.attachments.list(user, caseId);
  }

  @Get('attachments/:id')
  @ApiOperation({
    summary: 'Download an attachment',
    description: '下载附件: the stored bytes, with the detected type, a safe Content-Disposition (ASCII fallback and RFC 5987 filename*) and X-Content-SHA256.',
  })
  @ApiFileResponse('the file', 'application/pdf', 'image/jpeg', 'image/png', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiErrors(400, 401, 404)
  async download(@CurrentUser() user: AuthUser, @Uuid('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    // Streamed to the Node response itself (with backpressure), as Fastify allows for @Res().
    const res = reply.raw;
    const { attachment, content } = await this.attachments.open(user, id);
    const pieces = content[Symbol.asyncIterator]();
    // The first piece is read before the headers go out, so that a storage failure is still a JSON error.
    const next = await pieces.next();
    res.statusCode = 200;
    res.setHeader('Content-Type', attachment.contentType);
    res.setHeader('Content-Length', String(attachment.sizeBytes));
    res.setHeader('Content-Disposition', contentDisposition('attachment', attachment.fileName));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-SHA256', attachment.sha256);
    try {
      if (await writeChunks(res, pieces, next)) res.end();
    } catch (e) {
      res.destroy(e as Error);
    } finally {
      await pieces.return?.(undefined);
    }
  }
}
