import { Writable } from 'node:stream';
import { writeChunks } from './chunk-writer';

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
});
