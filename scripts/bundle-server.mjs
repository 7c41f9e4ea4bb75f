// The production server as a bundle: BUILD/src/main.js and BUILD/src/worker.js (tsc's output) into
// BUILD/bundle/ (BUILD: the first argument, `dist` by default), run by start:prod, start:worker and the
// Dockerfile. Why (issue 17): V8 keeps the source text of every loaded module, to compile its functions
// lazily: 15 MB of the 21 MB of strings in a heap snapshot after start were modules' sources, in 3,200
// files, 286 of them held as two-byte strings (one non-Latin-1 character in a comment suffices). One
// minified, ASCII-only text of what is imported holds 5 MB; the app's RSS after start is 15 MB lower and
// the bench's peak 20 MB lower (bench/results/2026-11-29-base-memory.md).
//
// Decorators and their metadata are tsc's (emitDecoratorMetadata), already in its output; class and
// function names are kept (Nest and TypeORM name providers, entities and errors by them).
// Left outside (loaded from node_modules at run time):
// - packages that read files beside themselves or load native code: pdfkit, fontkit, exceljs (the
//   documents load them when first needed), swagger-ui-dist, @bull-board/ui, koffi, @node-rs/argon2,
//   pino (its transports run files in worker threads), bullmq and ioredis (each reads its package.json
//   for its version), @aws-sdk (only with STORAGE=s3);
// - pg, which TypeORM loads by name at run time: one copy of it, not two.
// None of them imports @nestjs/*: a package that does must be bundled, or it would load a second
// @nestjs/core whose classes (ModuleRef, ApplicationConfig...) the app's injector does not know.
import { createRequire } from 'node:module';
import { rmSync, statSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { rolldown } from 'rolldown';

const BUILD = resolve(process.argv[2] ?? 'dist');
const OUT = join(BUILD, 'bundle');

const EXTERNAL = [
  'pdfkit', 'fontkit', 'exceljs', 'swagger-ui-dist', '@bull-board/ui', 'koffi', '@node-rs/argon2', 'pg-native',
  'pino', 'thread-stream', 'bullmq', 'ioredis', '@aws-sdk', 'pg',
];
const isExternal = (id) => id.startsWith('node:') || EXTERNAL.some((p) => id === p || id.startsWith(`${p}/`));

/** Rewrites one expected piece of a file, and fails the build when that piece is no longer there. */
const rewrite = (name, fileEnd, from, to) => ({
  name,
  transform(code, id) {
    if (!id.endsWith(fileEnd)) return null;
    if (!code.includes(from)) throw new Error(`${name}: ${id} no longer holds the code this bundle rewrites (${from})`);
    // map: null: the rewrite moves no line, so the mappings stay as they were.
    return { code: code.replace(from, to), map: null };
  },
});

const plugins = [
  // src/logging/request-log-context.ts loads nestjs-pino's storage.js (not exported) by a path made at
  // run time: pointed at the file itself, so that the bundle's one copy of it is the one loaded.
  rewrite(
    'nestjs-pino-storage',
    '/logging/request-log-context.js',
    "require((0, node_path_1.join)((0, node_path_1.dirname)(require.resolve('nestjs-pino')), 'storage.js'))",
    `require(${JSON.stringify(join(dirname(createRequire(import.meta.url).resolve('nestjs-pino')), 'storage.js'))})`,
  ),
  // @nestjs/terminus loads its optional peers with import(name), left to run time by a bundler: the
  // TypeORM health indicator would get a second @nestjs/typeorm, whose DataSource token no module holds.
  rewrite(
    'terminus-peers',
    '/@nestjs/terminus/dist/utils/checkPackage.util.js',
    'const pkg = await import(packageName);',
    "const pkg = await (packageName === '@nestjs/typeorm' ? import('@nestjs/typeorm') : packageName === 'typeorm' ? import('typeorm') : import(packageName));",
  ),
  // ES-module packages that require() through createRequire(import.meta.url) (terminus's HealthCheck
  // loading @nestjs/swagger, @nestjs/typeorm, @nestjs/mapped-types...): their require() calls are left to
  // the bundler, which bundles or externalizes them like any other.
  {
    name: 'esm-require',
    transform(code, id) {
      const CREATE_REQUIRE = 'const require = createRequire(import.meta.url);';
      return id.includes('/node_modules/') && code.includes(CREATE_REQUIRE) ? { code: code.replace(CREATE_REQUIRE, ''), map: null } : null;
    },
  },
];

// What the bundler says and is expected: Nest's optional peers the app does not install (loaded in a
// try/catch at run time, as without a bundle), and @bull-board/api's eval of require.resolve.
const OPTIONAL_PEERS = /^(@nestjs\/(microservices|websockets|platform-express)|@fastify\/multipart)(\/|$)/;
const expected = (log) =>
  (log.code === 'UNRESOLVED_IMPORT' && OPTIONAL_PEERS.test(/Could not resolve '([^']+)'/.exec(log.message)?.[1] ?? '')) ||
  (log.code === 'EVAL' && (log.id ?? log.message).includes('@bull-board/api'));

rmSync(OUT, { recursive: true, force: true });
const bundle = await rolldown({
  input: { main: join(BUILD, 'src', 'main.js'), worker: join(BUILD, 'src', 'worker.js') },
  platform: 'node',
  external: isExternal,
  plugins,
  // @nestjs/terminus checks its peers with import.meta.resolve, which CommonJS lacks.
  transform: { define: { 'import.meta.resolve': 'require.resolve' } },
  onLog(level, log, handler) {
    if (!expected(log)) handler(level, log);
  },
});
await bundle.write({
  dir: OUT,
  format: 'cjs',
  minify: true,
  keepNames: true,
  // One-byte strings in V8: a single non-ASCII character would make the whole text two bytes a character.
  charset: 'ascii',
  comments: { legal: false },
  // Written beside the bundle for reading a minified stack trace back (to tsc's output), never loaded by
  // node: --enable-source-maps would parse them at start, and hold them.
  sourcemap: 'hidden',
});
await bundle.close();
const files = readdirSync(OUT);
const kb = files.reduce((n, f) => n + statSync(join(OUT, f)).size, 0) / 1024;
console.log(`bundle: ${files.length} files, ${(kb / 1024).toFixed(1)} MB in ${OUT}`);
