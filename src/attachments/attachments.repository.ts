import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { StorageName } from './attachment-storage';
import { AttachmentDto, AttachmentKind } from './attachment.dto';

export interface NewAttachment {
  id: string;
  caseId: string;
  kind: AttachmentKind;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storage: StorageName;
  storageKey: string | null;
  note: string | null;
  supersedesId: string | null;
  uploadedBy: string;
  uploadedAt: Date;
}

export interface AttachmentRecord extends AttachmentDto {
  storage: StorageName;
  storageKey: string | null;
  workstationId: string;
  mediatorId: string | null;
}

const COLUMNS = `a.id, a.case_id AS "caseId", a.kind, a.file_name AS "fileName", a.content_type AS "contentType", a.size_bytes::float8 AS "sizeBytes",
  a.sha256, a.note, a.supersedes_id AS "supersedesId", (SELECT n.id FROM attachments n WHERE n.supersedes_id = a.id) AS "supersededById",
  a.uploaded_by AS "uploadedBy", a.uploaded_at AS "uploadedAt", '/api/v1/attachments/' || a.id AS "downloadUrl"`;

/** The SQL of attachments (rows only; the content belongs to AttachmentStorage). */
@Injectable()
export class AttachmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(em: EntityManager, a: NewAttachment): Promise<void> {
    await em.query(
      `INSERT INTO attachments (id, case_id, kind, file_name, content_type, size_bytes, sha256, storage, storage_key, note, supersedes_id, uploaded_by, uploaded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [a.id, a.caseId, a.kind, a.fileName, a.contentType, a.sizeBytes, a.sha256, a.storage, a.storageKey, a.note, a.supersedesId, a.uploadedBy, a.uploadedAt],
    );
  }

  /** Every version of a case's attachments, oldest first. */
  async listByCase(caseId: string): Promise<AttachmentDto[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM attachments a WHERE a.case_id = $1 ORDER BY a.uploaded_at, a.id`, [caseId]);
  }

  async findOne(id: string, em: EntityManager = this.db.manager): Promise<AttachmentRecord | null> {
    const [row] = await em.query(
      `SELECT ${COLUMNS}, a.storage, a.storage_key AS "storageKey", c.workstation_id AS "workstationId", c.mediator_id AS "mediatorId"
         FROM attachments a JOIN cases c ON c.id = a.case_id WHERE a.id = $1`,
      [id],
    );
    return row ?? null;
  }
}
