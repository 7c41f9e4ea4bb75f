import { Writable } from 'node:stream';
import { writeChunks } from './chunk-writer';
import { COLLECT_EVERY_BYTES, TransferCollector } from './young-generation';

async function* chunks(n: number, size: number) {
  for (let i = 0; i < n; i++) yield 'x'.repeat(size);
}

describe('writeChunks', () => {
  it('waits for drain under backpressure without piling up listeners', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    let maxClose = 0;
    let maxDrain = 0;
    let received = 0;
    const out: Writable = new Writable({
      highWaterMark: 16,
      write(chunk, _enc, done) {
        received += chunk.length;
        maxClose = Math.max(maxClose, out.listenerCount('close'));
        maxDrain = Math.max(maxDrain, out.listenerCount('drain'));
        setImmediate(done);
      },
    });
    const ok = await writeChunks(out, chunks(200, 64));
    out.end();
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(ok).toBe(true);
    expect(received).toBe(200 * 64);
    expect(maxClose).toBeLessThanOrEqual(3);
    expect(maxDrain).toBeLessThanOrEqual(3);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('stops when the client goes away', async () => {
    const out = new Writable({ highWaterMark: 16, write: (_c, _e, done) => setTimeout(done, 5) });
    setTimeout(() => out.destroy(), 20);
    expect(await writeChunks(out, chunks(10_000, 64))).toBe(false);
  });

  it('counts the Buffers written for a scavenge every COLLECT_EVERY_BYTES, and leaves strings to V8', async () => {
    let collections = 0;
    const collector = new TransferCollector(COLLECT_EVERY_BYTES, () => collections++);
    const sink = () => new Writable({ write: (_c, _e, done) => done() });
    async function* buffers(n: number) {
      for (let i = 0; i < n; i++) yield Buffer.alloc(256 * 1024);
    }
    expect(await writeChunks(sink(), buffers(33), undefined, collector)).toBe(true);
    expect(collections).toBe(2);
    expect(await writeChunks(sink(), chunks(100, 256 * 1024), undefined, collector)).toBe(true);
    expect(collections).toBe(2);
  });
});
