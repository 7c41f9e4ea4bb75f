import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describeCheckpoint, memoryCheckpoint, productionEnv, productionNodeFlags, productionScript } from '../bench/lib/processes';

const ROOT = join(__dirname, '..');

/**
 * The production process's memory settings (issue 17: peak < 200 MB) are the same wherever it is
 * started, and the bench reads the app's memory after each step.
 */
describe('production memory settings', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('start:prod, start:worker and the Dockerfile run node with the same flags and malloc setting', () => {
    const flags = productionNodeFlags(ROOT);
    const workerFlags = scripts['start:worker'].split(/\s+/).filter((w) => w.startsWith('--'));
    expect(workerFlags).toEqual(flags);
    expect(scripts['start:worker'].replace('worker.js', 'main.js')).toBe(scripts['start:prod']);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
    expect(cmd.filter((w) => w.startsWith('--'))).toEqual(flags);
    // The bundled server (scripts/bundle-server.mjs), which the bench starts too (productionScript).
    expect(cmd.at(-1)).toBe('dist/bundle/main.js');
    expect(productionScript(ROOT)).toBe(join(ROOT, 'dist/bundle/main.js'));
    for (const [name, value] of Object.entries(productionEnv(ROOT))) expect(dockerfile).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
  });

  it('bounds the old generation at 192 MB and the young at 8 MB semi-spaces (4 MB cost CPU per request, see the Dockerfile)', () => {
    expect(productionNodeFlags(ROOT)).toEqual(expect.arrayContaining(['--max-old-space-size=192', '--max-semi-space-size=8']));
  });
});

describe('bench memory checkpoint', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.end(
        req.url === '/metrics'
          ? '# TYPE nodejs_heap_size_used_bytes gauge\nnodejs_heap_size_used_bytes 62914560\nnodejs_heap_size_total_bytes 83886080\nnodejs_external_memory_bytes 5242880\nprocess_malloc_trim_released_bytes_total 31457280\n'
          : '',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("reads RSS and peak from /proc and the V8 heap from the app's /metrics", async () => {
    const point = await memoryCheckpoint({ url, pid: process.pid }, 'the search measure');
    expect(point.rssMb).toBeGreaterThan(10);
    expect(point.hwmMb).toBeGreaterThanOrEqual(point.rssMb);
    expect(point).toMatchObject({ after: 'the search measure', heapUsedMb: 60, heapTotalMb: 80, externalMb: 5, trimReleasedMb: 30 });
    expect(describeCheckpoint(point)).toMatch(
      /^memory after the search measure: RSS [\d.]+ MB \(peak so far [\d.]+ MB\), heap used 60 of 80 MB, external 5 MB, malloc_trim gave back 30 MB so far$/,
    );
  });

  it('gives the /proc figures alone when /metrics does not answer', async () => {
    const point = await memoryCheckpoint({ url: 'http://127.0.0.1:9', pid: process.pid }, 'start');
    expect(point.rssMb).toBeGreaterThan(10);
    expect(point.heapUsedMb).toBeUndefined();
  });
});
