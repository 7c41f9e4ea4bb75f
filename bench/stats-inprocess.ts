/**
 * The statistics' own JavaScript per request, in one process, without HTTP or the database: the
 * rows of an admin's five-year timeseries and summary are read once from DATABASE_URL (through
 * the app's StatsRepository), then each build's StatsService answers from them over and over
 * (its SQL built, pg's parameter serialization and the answer written as Fastify writes it: by the
 * build's response schema, stats-answer.schema.ts, with fast-json-stringify, where it has one).
 * Builds take turns, round after round; the median CPU µs per request of each is printed. With
 * --expose-gc, also the bytes each request allocates on V8's heap (what the young generation's
 * scavenges pay for under load, where the in-process CPU, with next to nothing live, hardly shows it).
 *
 *   node --expose-gc dist/bench/stats-inprocess.js --build base=/tmp/base --build new=. [--rounds 7] [--requests 3000]
 *
 * A build is a folder with dist/src (as for bench/levers.ts).
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { addDays, shanghaiDate } from '../src/common/business-time';
import { BatchStatement, statementText } from '../src/common/kept-statements';
import { DEFAULT_BENCH_DB_URL } from './generate';
import { Executor, Rows, statsRepositoryOver } from './lib/app-sql';
import { median } from './lib/load';

// pg's own serialization of a parameter (what the driver does to each before sending it); not in its typings.
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };
const fastJson = require('fast-json-stringify') as (schema: unknown) => (value: unknown) => string;

/** The answer's JSON as the build's Fastify route writes it: its response schema, else JSON.stringify. */
function serializerOf(root: string, schema: 'STATS_TIMESERIES_SCHEMA' | 'STATS_SUMMARY_SCHEMA'): (value: unknown) => string {
  try {
    return fastJson(require(`${root}/dist/src/stats/dto/stats-answer.schema`)[schema]);
  } catch {
    return JSON.stringify;
  }
}

/** V8 heap bytes allocated per call of `f`: the heap's growth over batches too small to fill the young generation, after a full GC (median of 9). */
async function bytesPerCall(f: () => Promise<unknown>, batch = 20): Promise<number | null> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  const perCall: number[] = [];
  for (let r = 0; r < 9; r++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < batch; i++) await f();
    perCall.push((process.memoryUsage().heapUsed - before) / batch);
  }
  return median(perCall);
}

type Grouping = 'month' | 'none';
/** A statement is known by its first words (the statements of one answer all begin differently). */
const statementKey = (sql: string) => sql.slice(0, 200).replace(/\s+/g, ' ').trim().slice(0, 60);

async function captureRows(databaseUrl: string, period: { from: string; to: string }): Promise<Record<Grouping, Map<string, Rows>>> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const captured = { month: new Map<string, Rows>(), none: new Map<string, Rows>() };
  try {
    for (const grouping of ['month', 'none'] as const) {
      const rowsOf = (result: { rows: Rows } | Array<{ rows: Rows }>) => (Array.isArray(result) ? result[result.length - 1].rows : result.rows);
      const record = (sql: string, rows: Rows) => (captured[grouping].set(statementKey(sql), rows), rows);
      const query: Executor = async (sql, params) => record(sql, rowsOf(await pool.query(sql, params)));
      const stats = statsRepositoryOver(query, () => {
        const client = pool.connect();
        return { query: async (sql, params) => record(sql, rowsOf((await (await client).query(sql, params)) as never)), release: async () => (await client).release() };
      });
      await stats.answerParts(period, { workstationId: null, mediatorId: null }, grouping);
    }
  } finally {
    await pool.end();
  }
  return captured;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const rounds = option('--rounds', 7);
  const requests = option('--requests', 3000);
  const builds = argv.flatMap((a, i) => (argv[i - 1] === '--build' ? [a.split('=')] : [])).map(([label, root]) => ({ label, root: resolve(root) }));
  if (!builds.length) throw new Error('give at least one --build label=root');

  const today = shanghaiDate(new Date());
  const period = { from: addDays(today, -5 * 365), to: today };
  const captured = await captureRows(process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL, period);
  const admin = { id: '00000000-0000-0000-0000-000000000001', username: 'bench_admin', role: 'admin', workstationId: null };

  const services = builds.map(({ label, root }) => {
    // Each build's own modules, loaded from its folder.
    const { StatsRepository } = require(`${root}/dist/src/stats/stats.repository`);
    const { StatsService } = require(`${root}/dist/src/stats/stats.service`);
    const serviceOver = (grouping: Grouping) => {
      const query = async (sql: string, params: unknown[] = []) => {
        for (const p of params) prepareValue(p);
        return captured[grouping].get(statementKey(sql)) ?? [];
      };
      // readOnlyTransaction (its batch: the statements one by one, a kept statement by its text), or onOneConnection in builds before it.
      const onOne = (fn: (q: typeof query, batch: (statements: readonly BatchStatement[]) => Promise<Rows[]>) => unknown) =>
        fn(query, (statements) => Promise.all(statements.map((s) => query(statementText(s)))));
      return new StatsService(new StatsRepository({ query }, { rows: query, readOnlyTransaction: onOne, onOneConnection: onOne }), { now: () => new Date() }, null);
    };
    const series = serviceOver('month');
    const summary = serviceOver('none');
    const writeSeries = serializerOf(root, 'STATS_TIMESERIES_SCHEMA');
    const writeSummary = serializerOf(root, 'STATS_SUMMARY_SCHEMA');
    return {
      label,
      timeseries: async () => writeSeries(await series.timeseries(admin, { ...period, interval: 'month' })),
      summary: async () => writeSummary(await summary.summary(admin, period)),
    };
  });

  for (const kind of ['timeseries', 'summary'] as const) {
    const answers = await Promise.all(services.map((s) => s[kind]()));
    const cpuUs: Record<string, number[]> = Object.fromEntries(services.map((s) => [s.label, []]));
    for (let r = 0; r < rounds; r++) {
      for (const s of r % 2 ? [...services].reverse() : services) {
        for (let i = 0; i < requests / 10; i++) await s[kind]();
        const start = process.cpuUsage();
        for (let i = 0; i < requests; i++) await s[kind]();
        const used = process.cpuUsage(start);
        cpuUs[s.label].push((used.user + used.system) / requests);
      }
    }
    const same = answers.every((a) => a === answers[0] && a === JSON.stringify(JSON.parse(answers[0]))) ? 'the same answer' : 'ANSWERS DIFFER';
    const bytes: Record<string, number | null> = {};
    for (const s of services) bytes[s.label] = await bytesPerCall(s[kind]);
    const allocated = (label: string) => (bytes[label] === null ? '' : `, ${(bytes[label]! / 1024).toFixed(1)} KB allocated`);
    console.log(`${kind} (${answers[0].length} bytes, ${same}): ${services.map((s) => `${s.label} ${median(cpuUs[s.label]).toFixed(1)} µs${allocated(s.label)}`).join(' | ')}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
