import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { COLLECT_EVERY_BYTES, collectYoungGeneration, TransferCollector } from './young-generation';

const KB = 1024;

describe('TransferCollector', () => {
  it('collects after every COLLECT_EVERY_BYTES transferred, counting across chunks', () => {
    let collections = 0;
    const collector = new TransferCollector(COLLECT_EVERY_BYTES, () => collections++);
    for (let i = 0; i < COLLECT_EVERY_BYTES / (64 * KB) - 1; i++) collector.transferred(64 * KB);
    expect(collections).toBe(0);
    collector.transferred(64 * KB);
    expect(collections).toBe(1);
    // A 20 MB transfer in 64 kB reads: five collections, not one a chunk.
    for (let i = 0; i < (20 * 1024 * KB) / (64 * KB); i++) collector.transferred(64 * KB);
    expect(collections).toBe(6);
  });
});

describe('collectYoungGeneration', () => {
  const globals = globalThis as { gc?: unknown };
  const exposed = globals.gc;
  afterEach(() => {
    globals.gc = exposed;
  });

  it('does nothing without --expose-gc', () => {
    globals.gc = undefined;
    expect(collectYoungGeneration()).toBe(false);
  });

  it("with V8's gc, frees the memory of Buffers that died young", async () => {
    // What `node --expose-gc` gives, obtained inside the test process.
    setFlagsFromString('--expose-gc');
    globals.gc = runInNewContext('gc');
    const fill = () => {
      const dead: Buffer[] = [];
      for (let i = 0; i < 160; i++) dead.push(Buffer.allocUnsafeSlow(64 * KB).fill(i));
      return dead.length;
    };
    const before = process.memoryUsage().arrayBuffers;
    expect(fill()).toBe(160);
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThanOrEqual(10 * 1024 * KB);

    expect(collectYoungGeneration()).toBe(true);
    // V8 frees the dead Buffers' memory on a background thread just after the scavenge.
    const deadline = Date.now() + 2000;
    while (process.memoryUsage().arrayBuffers - before > 1024 * KB && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * KB);
  });
});
