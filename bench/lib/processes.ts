import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Whether a port can be listened on now (127.0.0.1). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

let nextInRange = 0;

/**
 * A port nobody listens on: the system's choice, or with BENCH_PORTS=first-last (e.g. 41000-41999)
 * the next free one of that range, so that benches run beside others that keep to ranges of their own.
 */
export async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? '');
  if (range) {
    const [first, last] = [Number(range[1]), Number(range[2])];
    for (let i = 0; i <= last - first; i++) {
      const port = first + ((nextInRange + i) % (last - first + 1));
      if (await canListen(port)) {
        nextInRange = port - first + 1;
        return port;
      }
    }
    throw new Error(`no free port in BENCH_PORTS=${process.env.BENCH_PORTS}`);
  }
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** `start:prod` as words: leading NAME=value settings, then `node`, its flags and the script. */
function startProdWords(root: string): { env: string[]; node: string[] } {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts['start:prod'].split(/\s+/);
  const at = words.findIndex((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w));
  if (words[at] !== 'node') throw new Error(`start:prod should be [NAME=value ...] node ...: ${pkg.scripts['start:prod']}`);
  return { env: words.slice(0, at), node: words.slice(at + 1) };
}

/**
 * The node flags of package.json's `start:prod` (e.g. the heap limit), so that the benchmark runs
 * the app as production starts it.
 */
export function productionNodeFlags(root: string): string[] {
  return startProdWords(root).node.filter((w) => w.startsWith('--'));
}

/**
 * The script `start:prod` runs (dist/bundle/main.js: the bundled server, scripts/bundle-server.mjs),
 * as an absolute path under `root`.
 */
export function productionScript(root: string): string {
  const script = startProdWords(root).node.filter((w) => !w.startsWith('--')).at(-1);
  if (!script?.endsWith('.js')) throw new Error(`start:prod should end with the script it runs: ${script}`);
  return join(root, script);
}

/**
 * productionScript, checked to be built and not older than tsc's output beside it (`npx tsc -p
 * tsconfig.build.json` alone leaves dist/bundle as it was: the bench would measure the previous code).
 */
export function builtProductionScript(root: string): string {
  const script = productionScript(root);
  const tscMain = join(root, 'dist', 'src', 'main.js');
  if (!existsSync(script)) throw new Error(`${script} is not built: npm run build (or node scripts/bundle-server.mjs after tsc)`);
  if (script !== tscMain && existsSync(tscMain) && statSync(tscMain).mtimeMs > statSync(script).mtimeMs) {
    throw new Error(`${script} is older than ${tscMain}: bundle it again (node scripts/bundle-server.mjs, or npm run build)`);
  }
  return script;
}

/** The environment settings `start:prod` puts before node (e.g. glibc's MALLOC_ARENA_MAX), for the same reason. */
export function productionEnv(root: string): Record<string, string> {
  return Object.fromEntries(startProdWords(root).env.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
}

/**
 * A build under `root` started as `start:prod` starts it: its bundled script (checked to be up to
 * date), its node flags and environment settings, then `env` and `extraFlags` of the caller's.
 */
export async function startProductionServer(label: string, root: string, env: Record<string, string>, extraFlags: string[] = []): Promise<ServerProcess> {
  return new ServerProcess(label, builtProductionScript(root), await freePort(), { ...productionEnv(root), ...env }, [...productionNodeFlags(root), ...extraFlags]);
}

/** A server under test, started as its own node process; its output is kept for when it fails. */
export class ServerProcess {
  private readonly child: ChildProcess;
  private output = '';
  private exited: Promise<number | null>;

  constructor(
    readonly name: string,
    script: string,
    readonly port: number,
    env: Record<string, string>,
    nodeFlags: string[] = [],
  ) {
    this.child = spawn(process.execPath, [...nodeFlags, script], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get log(): string {
    return this.output;
  }

  /** Waits until `path` answers 200. */
  async ready(path: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let dead = false;
    void this.exited.then(() => (dead = true));
    while (Date.now() < deadline) {
      if (dead) throw new Error(`${this.name} exited during start:\n${this.output}`);
      try {
        const res = await fetch(this.url + path);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.output}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Peak memory of a process from /proc: VmHWM (the kernel's own high-water mark) and the highest sampled VmRSS per window. */
export class MemorySampler {
  private timer?: NodeJS.Timeout;
  private windowPeakKb = 0;

  constructor(private readonly pid: number) {}

  private read(): { rssKb: number; hwmKb: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  }

  start(everyMs = 100): void {
    this.timer = setInterval(() => {
      try {
        this.windowPeakKb = Math.max(this.windowPeakKb, this.read().rssKb);
      } catch {
        // the process is gone; stop() reports what was seen
      }
    }, everyMs);
    this.timer.unref();
  }

  /** The highest RSS sampled since the last call (MB), then starts a new window. */
  takeWindowPeakMb(): number {
    let peak = this.windowPeakKb;
    try {
      peak = Math.max(peak, this.read().rssKb);
    } catch {
      // gone
    }
    this.windowPeakKb = 0;
    return Math.round(peak / 102.4) / 10;
  }

  /** VmHWM: the process's peak resident set since it started (MB). */
  highWaterMarkMb(): number {
    return Math.round(this.read().hwmKb / 102.4) / 10;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The app's memory at one point of the run: from /proc (RSS, peak) and from its GET /metrics (V8 heap, external). */
export interface MemoryCheckpoint {
  after: string;
  rssMb: number;
  hwmMb: number;
  heapUsedMb?: number;
  heapTotalMb?: number;
  externalMb?: number;
  /** Resident memory the app's malloc_trim gave back since it started (src/process-memory). */
  trimReleasedMb?: number;
}

const MB = (bytes: number) => Math.round(bytes / 104_857.6) / 10;

/** Reads a checkpoint: VmRSS and VmHWM, and prom-client's nodejs_heap_size_* and nodejs_external_memory_bytes when /metrics answers. */
export async function memoryCheckpoint(app: { url: string; pid: number }, after: string): Promise<MemoryCheckpoint> {
  const status = readFileSync(`/proc/${app.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  const point: MemoryCheckpoint = { after, rssMb: Math.round(kb('VmRSS') / 102.4) / 10, hwmMb: Math.round(kb('VmHWM') / 102.4) / 10 };
  try {
    const res = await fetch(`${app.url}/metrics`);
    if (res.ok) {
      const text = await res.text();
      const value = (name: string) => {
        const m = new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text);
        return m ? MB(Number(m[1])) : undefined;
      };
      point.heapUsedMb = value('nodejs_heap_size_used_bytes');
      point.heapTotalMb = value('nodejs_heap_size_total_bytes');
      point.externalMb = value('nodejs_external_memory_bytes');
      point.trimReleasedMb = value('process_malloc_trim_released_bytes_total');
    }
  } catch {
    // no metrics: /proc's figures alone
  }
  return point;
}

export function describeCheckpoint(p: MemoryCheckpoint): string {
  const heap = p.heapUsedMb !== undefined ? `, heap used ${p.heapUsedMb} of ${p.heapTotalMb} MB, external ${p.externalMb} MB` : '';
  const trimmed = p.trimReleasedMb !== undefined ? `, malloc_trim gave back ${p.trimReleasedMb} MB so far` : '';
  return `memory after ${p.after}: RSS ${p.rssMb} MB (peak so far ${p.hwmMb} MB)${heap}${trimmed}`;
}
