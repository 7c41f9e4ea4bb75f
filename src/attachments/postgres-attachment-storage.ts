import { DataSource, EntityManager } from 'typeorm';
import { AttachmentStorage, BlobWriter, StoredBlob } from './attachment-storage';

/** Bytes per row of attachment_chunks. */
export const CHUNK_BYTES = 256 * 1024;
/** Rows fetched per query on download (1 MiB). */
const CHUNKS_PER_READ = 4;

/**
 * Content in PostgreSQL: 256 KiB rows written inside the upload's transaction as the bytes come
 * in, so that only one chunk is held in memory, and a failed or interrupted upload rolls back
 * with nothing left.
 */
export class PostgresAttachmentStorage extends AttachmentStorage {
  readonly name = 'postgres' as const;
  readonly writesInTransaction = true;

  constructor(private readonly db: DataSource) {
    super();
  }

  writer(em: EntityManager, attachmentId: string): BlobWriter {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let seq = 0;
    const insert = async (data: Buffer) => {
      await em.query(`INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES ($1, $2, $3)`, [attachmentId, seq++, data]);
    };
    const flushFull = async () => {
      while (pendingBytes >= CHUNK_BYTES) {
        const all = pending.length === 1 ? pending[0] : Buffer.concat(pending);
        await insert(all.subarray(0, CHUNK_BYTES));
        const rest = all.subarray(CHUNK_BYTES);
        pending = rest.length ? [Buffer.from(rest)] : [];
        pendingBytes = rest.length;
      }
    };
    return {
      write: async (chunk) => {
        pending.push(chunk);
        pendingBytes += chunk.length;
        await flushFull();
      },
      finish: async () => {
        await flushFull();
        if (pendingBytes > 0) await insert(Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
        return null;
      },
      abort: async () => {
        pending = [];
      },
    };
  }

  async *read(blob: StoredBlob): AsyncIterable<Buffer> {
    for (let next = 0; ; ) {
      const rows: Array<{ seq: number; data: Buffer }> = await this.db.query(
        `SELECT seq, data FROM attachment_chunks WHERE attachment_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
        [blob.id, next, CHUNKS_PER_READ],
      );
      for (const row of rows) yield row.data;
      if (rows.length < CHUNKS_PER_READ) return;
      next = rows[rows.length - 1].seq + 1;
    }
  }

  /** The chunks were deleted with their rows (ON DELETE CASCADE), in the same transaction. */
  async remove(): Promise<void> {}
}
