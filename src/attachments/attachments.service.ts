import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../accounts-core/auth-user';
import { canSeeCase } from '../accounts-core/scope';
import { insertCaseEvent } from '../case-core/case-events';
import { CasesService } from '../cases/cases.service';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { conflict, invalidInput, notFound, unsupportedMediaType } from '../common/errors/domain-error';
import { TransferCollector } from '../common/young-generation';
import { AttachmentStorage, BlobWriter } from './attachment-storage';
import { ATTACHMENT_KINDS, AttachmentDto, AttachmentKind } from './attachment.dto';
import { AttachmentRecord, AttachmentsRepository } from './attachments.repository';
import { safeFileName } from './file-name';
import { AttachmentFileType, CONTENT_TYPES, detectFileType, SIGNATURE_BYTES } from './file-signature';
import { FilePart, MAX_ATTACHMENT_BYTES, receiveMultipart, tooLarge } from './multipart-upload';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NOTE_LENGTH = 2000;

interface ReceivedFile {
  fileName: string;
  type: AttachmentFileType;
  sizeBytes: number;
  sha256: string;
}

/**
 * A case's attachments: upload (streamed into the configured storage while its SHA-256 is
 * computed and its type is read from its first bytes), list and download, scoped as the case.
 * Never overwritten: a new version names the one it supersedes.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly repository: AttachmentsRepository,
    private readonly storage: AttachmentStorage,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async upload(user: AuthUser, caseId: string, req: IncomingMessage): Promise<AttachmentDto> {
    // Outside the case's scope nothing is read or stored: 404.
    const c = await this.cases.findVisible(user, caseId);
    const id = randomUUID();
    const runner = this.db.createQueryRunner();
    // The transaction opens when it is first needed: before the first byte for PostgreSQL storage,
    // after the whole file for S3 (so that a slow upload does not hold a connection there).
    const begin = async () => {
      if (!runner.isTransactionActive) await runner.startTransaction();
    };
    // Set by the file's consumer once the type is known; read back here after the form is in.
    const upload: { writer: BlobWriter | null } = { writer: null };
    try {
      let received: ReceivedFile | null = null;
      const { fields } = await receiveMultipart(req, async (part) => {
        received = await this.receiveFile(part, async (type) => {
          if (this.storage.writesInTransaction) await begin();
          return (upload.writer = this.storage.writer(runner.manager, id, c.id, CONTENT_TYPES[type]));
        });
      });
      const file = received as ReceivedFile | null;
      if (!file) throw invalidInput('file is required', { field: 'file' }, '请选择要上传的文件');
      await begin();
      const form = await this.validateForm(runner.manager, c.id, fields);
      const storageKey = await upload.writer!.finish();
      const now = this.clock.now();
      await this.repository.insert(runner.manager, {
        id,
        caseId: c.id,
        kind: form.kind,
        fileName: file.fileName,
        contentType: CONTENT_TYPES[file.type],
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        storage: this.storage.name,
        storageKey,
        note: form.note,
        supersedesId: form.supersedesId,
        uploadedBy: user.id,
        uploadedAt: now,
      });
      await insertCaseEvent(runner.manager, c.id, 'attachment_added', user.id, now, null, {
        attachmentId: id,
        kind: form.kind,
        fileName: file.fileName,
        contentType: CONTENT_TYPES[file.type],
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        supersedesId: form.supersedesId,
      });
      await runner.commitTransaction();
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await upload.writer?.abort().catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
    }
    const saved = await this.repository.findOne(id);
    return toAttachmentDto(saved!);
  }

  /**
   * Streams the file part into storage: the first bytes decide the type (nothing is stored for a
   * refused type), the hash and size are counted on the way, and busboy's size limit is a 413.
   */
  private async receiveFile(part: FilePart, open: (type: AttachmentFileType) => Promise<BlobWriter>): Promise<ReceivedFile> {
    const hash = createHash('sha256');
    let sizeBytes = 0;
    let head: Buffer[] = [];
    let headBytes = 0;
    let writer: BlobWriter | null = null;
    let type: AttachmentFileType | null = null;
    const start = async () => {
      const bytes = Buffer.concat(head);
      type = detectFileType(bytes);
      if (!type) {
        throw unsupportedMediaType('Only PDF, JPEG, PNG, DOCX and XLSX files are accepted (checked by content)', { accepted: Object.values(CONTENT_TYPES) }, '仅支持 PDF、JPEG、PNG、DOCX、XLSX 文件（按文件内容识别）');
      }
      writer = await open(type);
      head = [];
      await writer.write(bytes);
    };
    // destroyOnReturn: false keeps the stream alive when this loop throws, so that the rest of the request can be drained.
    const collector = new TransferCollector();
    for await (const chunk of part.stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      sizeBytes += chunk.length;
      collector.transferred(chunk.length);
      hash.update(chunk);
      if (writer) {
        await (writer as BlobWriter).write(chunk);
        continue;
      }
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes >= SIGNATURE_BYTES) await start();
    }
    // busboy stops one byte past the limit: exactly 20 MB is accepted.
    if (part.stream.truncated || sizeBytes > MAX_ATTACHMENT_BYTES) throw tooLarge();
    if (sizeBytes === 0) throw invalidInput('The file is empty', { field: 'file' }, '文件为空');
    if (!writer) await start();
    return { fileName: safeFileName(part.fileName), type: type!, sizeBytes, sha256: hash.digest('hex') };
  }

  private async validateForm(em: EntityManager, caseId: string, fields: Record<string, string>) {
    const unknown = Object.keys(fields).filter((k) => !['kind', 'note', 'supersedes'].includes(k));
    if (unknown.length) throw invalidInput(`Unknown fields: ${unknown.join(', ')}`, { fields: unknown }, '表单包含未知字段');
    const kind = fields.kind as AttachmentKind;
    if (!ATTACHMENT_KINDS.includes(kind)) {
      throw invalidInput(`kind must be one of ${ATTACHMENT_KINDS.join(', ')}`, { field: 'kind' }, '请选择附件类别');
    }
    const note = fields.note?.trim() || null;
    if (note && note.length > MAX_NOTE_LENGTH) throw invalidInput(`note must be at most ${MAX_NOTE_LENGTH} characters`, { field: 'note' }, '备注过长');
    let supersedesId: string | null = null;
    if (fields.supersedes) {
      if (!UUID.test(fields.supersedes)) throw invalidInput('supersedes must be an attachment id', { field: 'supersedes' }, '被替换的附件编号有误');
      const previous = await this.repository.findOne(fields.supersedes, em);
      if (!previous || previous.caseId !== caseId) throw invalidInput('supersedes must be an attachment of the same case', { field: 'supersedes' }, '被替换的附件不属于本案件');
      if (previous.supersededById) {
        throw conflict('That version has already been superseded: supersede the current one', { supersededById: previous.supersededById }, '该附件已有新版本，请替换最新版本');
      }
      supersedesId = previous.id;
    }
    return { kind, note, supersedesId };
  }

  async list(user: AuthUser, caseId: string): Promise<AttachmentDto[]> {
    const c = await this.cases.findVisible(user, caseId);
    return this.repository.listByCase(c.id);
  }

  /** The attachment (scoped as its case: 404 outside it) and its content as a stream of pieces. */
  async open(user: AuthUser, id: string): Promise<{ attachment: AttachmentDto; content: AsyncIterable<Buffer> }> {
    const found = await this.repository.findOne(id);
    if (!found || !canSeeCase(user, found)) throw notFound('Attachment', '附件不存在或您无权查看');
    // Attachments hold identity papers and evidence: every download is in the audit log.
    await this.audit.record(null, { actor: user, action: 'attachment.downloaded', caseId: found.caseId, targetId: found.id, details: { kind: found.kind, fileName: found.fileName } });
    return { attachment: toAttachmentDto(found), content: this.storage.read({ id: found.id, storageKey: found.storageKey }) };
  }
}

function toAttachmentDto(r: AttachmentRecord): AttachmentDto {
  return {
    id: r.id,
    caseId: r.caseId,
    kind: r.kind,
    fileName: r.fileName,
    contentType: r.contentType,
    sizeBytes: r.sizeBytes,
    sha256: r.sha256,
    note: r.note,
    supersedesId: r.supersedesId,
    supersededById: r.supersededById,
    uploadedBy: r.uploadedBy,
    uploadedAt: r.uploadedAt,
    downloadUrl: r.downloadUrl,
  };
}
