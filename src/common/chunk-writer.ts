import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { TransferCollector } from './young-generation';

/**
 * Writes chunks to a response, waiting for `drain` under backpressure, and stops when the client
 * goes away. One `close` listener for the whole stream (waiting on `once(res, 'close')` at every
 * pause added a listener each time: MaxListenersExceededWarning on a slow client, and a leak).
 * Returns false when the client went away before the end. The chunks written are counted for
 * TransferCollector: a download or an export of many MB leaves its Buffers to an early scavenge.
 */
export async function writeChunks(
  out: Writable,
  chunks: AsyncIterator<string | Buffer>,
  first?: IteratorResult<string | Buffer>,
  collector = new TransferCollector(),
): Promise<boolean> {
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
      // A string's memory is in V8's heap, which collects for it by itself.
      if (typeof next.value !== 'string') collector.transferred(next.value.length);
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
