import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { PgReads } from '../common/pg-reads';
import { AppConfigService } from '../config/app-config.service';
import { AttachmentStorage } from './attachment-storage';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { PostgresAttachmentStorage } from './postgres-attachment-storage';

/** The storage STORAGE names: PostgreSQL (default) or S3-compatible object storage. */
export async function attachmentStorageFor(config: AppConfigService, reads: PgReads): Promise<AttachmentStorage> {
  if (config.get('STORAGE') === 's3') {
    // The AWS SDK (some 20 MB resident) loads only where STORAGE=s3.
    const { S3AttachmentStorage } = await import('./s3-attachment-storage');
    return new S3AttachmentStorage({
      endpoint: config.get('S3_ENDPOINT'),
      bucket: config.get('S3_BUCKET')!,
      accessKeyId: config.get('S3_ACCESS_KEY')!,
      secretAccessKey: config.get('S3_SECRET_KEY')!,
      region: config.get('S3_REGION'),
    });
  }
  return new PostgresAttachmentStorage(reads);
}

/** A case's files: upload, list, download (DESIGN.md "Documents and attachments"). */
@Module({
  imports: [CasesModule],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    AttachmentsRepository,
    { provide: AttachmentStorage, inject: [AppConfigService, PgReads], useFactory: attachmentStorageFor },
  ],
  exports: [AttachmentsService, AttachmentStorage],
})
export class AttachmentsModule {}
