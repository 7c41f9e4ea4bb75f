import { EntityManager } from 'typeorm';

export type StorageName = 'postgres' | 's3';

/** Receives one attachment's bytes as the upload streams in. */
export interface BlobWriter {
  write(chunk: Buffer): Promise<void>;
  /** All bytes written: makes them durable; returns the object key (S3) or null (PostgreSQL, in the upload's transaction). */
  finish(): Promise<string | null>;
  /** The upload failed: leaves nothing behind (PostgreSQL relies on the transaction's rollback). */
  abort(): Promise<void>;
}

export interface StoredBlob {
  id: string;
  storageKey: string | null;
}

/** Where attachment content lives (STORAGE=postgres | s3). */
export abstract class AttachmentStorage {
  abstract readonly name: StorageName;
  /** The content is written through the upload's transaction (PostgreSQL), which must then be open before the first byte. */
  abstract readonly writesInTransaction: boolean;
  /** `em` is the upload's transaction. */
  abstract writer(em: EntityManager, attachmentId: string, caseId: string, contentType: string): BlobWriter;
  /** The content in order, a piece at a time (never the whole file in memory). */
  abstract read(blob: StoredBlob): AsyncIterable<Buffer>;
  /**
   * Deletes the content of attachments whose rows are already gone (retention). PostgreSQL's chunks
   * went with the rows (ON DELETE CASCADE), so only S3 has something left to delete.
   */
  abstract remove(blobs: StoredBlob[]): Promise<void>;
}
