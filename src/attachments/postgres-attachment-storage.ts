import { finished } from 'node:stream/promises';
import { escapeLiteral } from 'pg';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EntityManager, QueryFailedError } from 'typeorm';
import { PgReads } from '../common/pg-reads';
import { AttachmentStorage, BlobWriter, StoredBlob } from './attachment-storage';

/** Bytes per row of attachment_chunks. */
export const CHUNK_BYTES = 256 * 1024;
/** Rows fetched per query on download (1 MiB). */
export const CHUNKS_PER_READ = 4;

/**
 * Content in PostgreSQL: 256 KiB rows written inside the upload's transaction as the bytes come
 * in, so that only one chunk is held in memory, and a failed or interrupted upload rolls back
 * with nothing left.
 *
 * Both ways through COPY in binary format (issue 17: a 20 MB upload and download raised the app's
 * memory by 20 to 40 MB): the bytes go between the request or response and PostgreSQL's socket as
 * they are, where an INSERT copies each chunk into its Bind message, and a SELECT brings bytea as
 * hex text (2 bytes of string per byte, then decoded into a third copy). pg's own binary results
 * are no way out: it decodes every value as UTF-8, which corrupts arbitrary bytes.
 */
export class PostgresAttachmentStorage extends AttachmentStorage {
  readonly name = 'postgres' as const;
  readonly writesInTransaction = true;

  constructor(private readonly reads: PgReads) {
    super();
  }

  /** One COPY per chunk, so that the transaction's connection is free between two (for the form's own statements). */
  writer(em: EntityManager, attachmentId: string): BlobWriter {
    const runner = em.queryRunner;
    if (!runner) throw new Error("PostgresAttachmentStorage.writer: em must be the upload transaction's");
    const id = Buffer.from(attachmentId.replace(/-/g, ''), 'hex');
    // The pieces of the chunk being gathered: views of the request's buffers, not copies.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let seq = 0;
    const store = async (pieces: Buffer[], length: number) => {
      const client = (await runner.connect()) as PoolClient;
      await copyRowIn(client, [chunkRowHeader(id, seq++, length), ...pieces, COPY_TRAILER]);
    };
    const storeFull = async () => {
      while (pendingBytes >= CHUNK_BYTES) {
        const row: Buffer[] = [];
        for (let left = CHUNK_BYTES; left > 0; ) {
          const piece = pending[0].subarray(0, left);
          row.push(piece);
          left -= piece.length;
          if (piece.length === pending[0].length) pending.shift();
          else pending[0] = pending[0].subarray(piece.length);
        }
        pendingBytes -= CHUNK_BYTES;
        await store(row, CHUNK_BYTES);
      }
    };
    return {
      write: async (chunk) => {
        pending.push(chunk);
        pendingBytes += chunk.length;
        await storeFull();
      },
      finish: async () => {
        await storeFull();
        if (pendingBytes > 0) await store(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        return null;
      },
      abort: async () => {
        pending = [];
      },
    };
  }

  /**
   * CHUNKS_PER_READ rows per statement, each statement's output read whole before its bytes are
   * handed on (no connection held while the client is slow). COPY takes no parameters: the id is a
   * uuid read from the attachment's row, written as a literal.
   */
  async *read(blob: StoredBlob): AsyncIterable<Buffer> {
    for (let next = 0; ; ) {
      const out = await this.reads.copyOut(
        `COPY (SELECT seq, data FROM attachment_chunks WHERE attachment_id = ${escapeLiteral(blob.id)} AND seq >= ${next} ORDER BY seq LIMIT ${CHUNKS_PER_READ}) TO STDOUT (FORMAT binary)`,
      );
      const rows = chunkRows(out);
      for (const row of rows) yield* row.data;
      if (rows.length < CHUNKS_PER_READ) return;
      next = rows[rows.length - 1].seq + 1;
    }
  }

  /** The chunks were deleted with their rows (ON DELETE CASCADE), in the same transaction. */
  async remove(): Promise<void> {}
}

const COPY_IN = 'COPY attachment_chunks (attachment_id, seq, data) FROM STDIN (FORMAT binary)';

/** One COPY_IN of `parts` (a whole binary COPY stream) on the transaction's connection; a failure is thrown as QueryFailedError, as `em.query` throws it. */
async function copyRowIn(client: PoolClient, parts: Buffer[]): Promise<void> {
  const copy = client.query(copyFrom(COPY_IN));
  // Every part is already in memory: written at once, the socket holds them until sent.
  for (const part of parts) copy.write(part);
  copy.end();
  try {
    await finished(copy);
  } catch (e) {
    throw new QueryFailedError(COPY_IN, [], e as Error);
  }
}

/*
 * PostgreSQL's binary COPY format (docs, "COPY", Binary Format): a signature, 32-bit flags and a
 * header extension's length (and bytes); per row a 16-bit field count, then per field its 32-bit
 * length and bytes; a field count of -1 at the end. Integers are big-endian.
 */
const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const COPY_TRAILER = Buffer.from([0xff, 0xff]);

/** What goes before a chunk's data in COPY_IN: the header, then the row (attachment_id, seq, data) up to its data's length. */
function chunkRowHeader(id: Buffer, seq: number, length: number): Buffer {
  const header = Buffer.alloc(COPY_SIGNATURE.length + 4 + 4 + 2 + 4 + id.length + 4 + 4 + 4);
  let at = COPY_SIGNATURE.copy(header);
  at = header.writeInt32BE(0, at); // flags
  at = header.writeInt32BE(0, at); // no header extension
  at = header.writeInt16BE(3, at);
  at = header.writeInt32BE(id.length, at);
  at += id.copy(header, at);
  at = header.writeInt32BE(4, at);
  at = header.writeInt32BE(seq, at);
  header.writeInt32BE(length, at);
  return header;
}

/**
 * The rows (seq int4, data bytea) of a COPY ... TO STDOUT (FORMAT binary), from the buffers it
 * arrived in: each row's data as the pieces of those buffers it spans (views, not copies).
 */
export function chunkRows(buffers: Buffer[]): Array<{ seq: number; data: Buffer[] }> {
  let index = 0;
  let offset = 0;
  const take = (length: number): Buffer[] => {
    const pieces: Buffer[] = [];
    for (let left = length; left > 0; ) {
      const buffer = buffers[index];
      if (!buffer) throw new Error('attachment_chunks: the COPY output ended mid-row');
      const piece = buffer.subarray(offset, offset + left);
      pieces.push(piece);
      left -= piece.length;
      offset += piece.length;
      if (offset === buffer.length) {
        index++;
        offset = 0;
      }
    }
    return pieces;
  };
  // The few fixed-size fields may straddle two buffers: those bytes alone are joined.
  const bytes = (length: number) => Buffer.concat(take(length));
  const int16 = () => bytes(2).readInt16BE(0);
  const int32 = () => bytes(4).readInt32BE(0);

  if (!bytes(COPY_SIGNATURE.length).equals(COPY_SIGNATURE)) throw new Error('attachment_chunks: not a binary COPY output');
  int32(); // flags
  take(int32()); // header extension
  const rows: Array<{ seq: number; data: Buffer[] }> = [];
  for (let fields = int16(); fields !== -1; fields = int16()) {
    if (fields !== 2 || int32() !== 4) throw new Error('attachment_chunks: unexpected COPY row');
    const seq = int32();
    rows.push({ seq, data: take(int32()) });
  }
  return rows;
}
