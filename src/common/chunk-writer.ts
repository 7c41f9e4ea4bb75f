import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Writes chunks to a response, waiting for `drain` under backpressure, and stops when the client
 * goes away. One `close` listener for the whole stream (waiting on `once(res, 'close')` at every
 * pause added a listener each time: MaxListenersExceededWarning on a slow client, and a leak).
 * Returns false when the client went away before the end.
 */
export async function writeChunks(out: Writable, chunks: AsyncIterator<string | Buffer>, first?: IteratorResult<string | Buffer>): Promise<boolean> {
  let closed = out.destroyed || out.writableEnded;
  const onClose = () => {
    closed = true;
  };
  const closedPromise = new Promise<void>((resolve) => {
    out.once('close', () => {
      onClose();
      resolve();
    });
  });
  const drainOrClose = new AbortController();
  try {
    let next = first ?? (await chunks.next());
    while (!next.done) {
      if (closed || out.destroyed) return false;
      if (!out.write(next.value)) {
        const drained = once(out, 'drain', { signal: drainOrClose.signal }).catch(() => undefined);
        await Promise.race([drained, closedPromise]);
        if (closed) return false;
      }
      next = await chunks.next();
    }
    return true;
  } finally {
    drainOrClose.abort();
  }
}
