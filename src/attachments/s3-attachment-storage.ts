import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { AttachmentStorage, BlobWriter, StoredBlob } from './attachment-storage';

export interface S3Settings {
  endpoint?: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/**
 * Content in S3-compatible object storage (MinIO, AWS S3, ...), streamed with the SDK's multipart
 * upload (5 MiB parts, one at a time): memory stays flat whatever the file's size. The object is
 * written before the attachment row; a failed upload aborts it, and an object whose row could
 * not be committed is deleted.
 */
export class S3AttachmentStorage extends AttachmentStorage {
  readonly name = 's3' as const;
  readonly writesInTransaction = false;
  readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    super();
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: Boolean(settings.endpoint),
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    });
  }

  writer(_em: unknown, attachmentId: string, caseId: string, contentType: string): BlobWriter {
    const key = `attachments/${caseId}/${attachmentId}`;
    const body = new PassThrough();
    const upload = new Upload({ client: this.client, params: { Bucket: this.settings.bucket, Key: key, Body: body, ContentType: contentType }, queueSize: 1 });
    const done = upload.done();
    // Observed by finish(); without this an abort would surface as an unhandled rejection.
    done.catch(() => undefined);
    let finished = false;
    return {
      write: async (chunk) => {
        if (!body.write(chunk)) await Promise.race([once(body, 'drain'), done]);
      },
      finish: async () => {
        body.end();
        await done;
        finished = true;
        return key;
      },
      abort: async () => {
        if (!finished) {
          await upload.abort().catch(() => undefined);
          body.destroy();
        }
        await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key })).catch(() => undefined);
      },
    };
  }

  async *read(blob: StoredBlob): AsyncIterable<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: blob.storageKey! }));
    for await (const chunk of object.Body as Readable) yield chunk as Buffer;
  }

  /**
   * Deletes the objects one by one (DeleteObject is what every S3-compatible server has; retention
   * removes a few files at a time). Every key is tried; fails at the end naming those that failed.
   */
  async remove(blobs: StoredBlob[]): Promise<void> {
    const failed: string[] = [];
    for (const { storageKey } of blobs) {
      if (!storageKey) continue;
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: storageKey })).catch((e: Error) => failed.push(`${storageKey}: ${e.message}`));
    }
    if (failed.length) throw new Error(`S3 objects not deleted: ${failed.join('; ')}`);
  }
}
