import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { runId, TEST_REDIS_URL } from '../setup/test-env';

/**
 * The built app as production runs it (`node <build>/bundle/main.js`, start:prod's bundle) as a child
 * process, for tests that kill it. The build is the project's own (`tsc -p tsconfig.build.json`, then
 * scripts/bundle-server.mjs; the web application is not needed there) into a private directory keyed by
 * the sources, so that it is never stale and never touches the shared `dist/`.
 */

const ROOT = resolve(__dirname, '../..');

function sourceKey(): string {
  const hash = createHash('sha1');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const st = statSync(path);
        hash.update(`${relative(ROOT, path)}:${st.size}:${st.mtimeMs}\n`);
      }
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'migrations'));
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/bundle-server.mjs']) hash.update(`${f}:${statSync(join(ROOT, f)).mtimeMs}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** The first admin that `builtAppEnv` makes the app create at start. */
export const BUILT_APP_ADMIN = { username: 'admin', password: 'admin-password-1' };

/**
 * The environment of a built app in its own database and queue prefix, as production runs it
 * (NODE_ENV production, a JWT secret, the first admin); `extra` adds or overrides settings.
 */
export function builtAppEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `mt:${runId()}:${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'reliability-secret-0123456789',
    ADMIN_USERNAME: BUILT_APP_ADMIN.username,
    ADMIN_PASSWORD: BUILT_APP_ADMIN.password,
    LOGIN_RATE_LIMIT: '1000',
    ...extra,
  };
}

/** Builds and bundles the app unless a build of the same sources exists; returns the path of the bundle's main.js. */
export function buildApp(): string {
  const outDir = join(tmpdir(), `mt-reliability-build-${sourceKey()}`);
  const main = join(outDir, 'bundle', 'main.js');
  if (existsSync(join(outDir, '.complete'))) return main;
  const work = `${outDir}.${process.pid}.${randomBytes(3).toString('hex')}`;
  mkdirSync(work, { recursive: true });
  // Type errors elsewhere (work in progress of others) do not stop tsc from emitting; a missing main.js does.
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', work], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(join(work, 'src', 'main.js'))) throw new Error(`build failed: ${tsc.stdout}${tsc.stderr}`);
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
  const bundle = spawnSync(process.execPath, [join(ROOT, 'scripts/bundle-server.mjs'), work], { cwd: ROOT, encoding: 'utf8' });
  if (bundle.status !== 0 || !existsSync(join(work, 'bundle', 'main.js'))) throw new Error(`bundle failed: ${bundle.stdout}${bundle.stderr}`);
  writeFileSync(join(work, '.complete'), new Date().toISOString());
  try {
    renameSync(work, outDir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another run built the same sources meanwhile
  }
  return main;
}

/** One process of the built app; start it again after a kill with `start()`. */
export class AppProcess {
  private proc?: ChildProcess;
  private stderr = '';
  starts = 0;
  /** How the last process ended: its exit code, or the signal that killed it. */
  lastExit?: { code: number | null; signal: NodeJS.Signals | null };

  constructor(
    private readonly main: string,
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    this.stderr = '';
    const proc = spawn(process.execPath, [this.main], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    this.proc = proc;
    this.starts += 1;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`app exited at start (${proc.exitCode ?? proc.signalCode}): ${this.stderr}`);
      try {
        const res = await fetch(`${this.origin}/health`, { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`app did not answer /health within ${timeoutMs} ms: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL: no shutdown hook runs, open transactions die with their connections. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** A graceful stop (SIGTERM, shutdown hooks). */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  private signal(sig: NodeJS.Signals): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise<void>((done) => {
      // A graceful stop that hangs is ended after 10 s, so that a test never leaves the process behind.
      const force = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      proc.once('exit', (code, signal) => {
        clearTimeout(force);
        this.lastExit = { code, signal };
        done();
      });
      proc.kill(sig);
    });
  }
}
