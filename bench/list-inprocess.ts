/**
 * The case list's own work per request, in one process, without HTTP and the request pipeline:
 * each build's CasesService.list (its query parsed by ListCasesQuery.accept, the filter and SQL
 * built, the statement run on its own TypeORM data source's pg pool, the rows parsed and mapped to
 * views) and its answer written by JSON.stringify (the list route has no response schema) and
 * encoded as UTF-8, for the seven filter mixes of the bench's list scenario. PostgreSQL's
 * own work is in its processes, not counted here. Builds take turns, round after round; the
 * median CPU µs per list of each, and per round each build's ÷ the first's, are printed.
 *
 *   node dist/bench/list-inprocess.js --build base=/tmp/base --build new=. [--floor] [--rounds 9] [--requests 700] [--concurrency 4]
 *
 * A build is a folder with dist/src (as for bench/levers.ts). DATABASE_URL as for the bench (read only).
 */
import 'reflect-metadata';
import { Client, Pool } from 'pg';
import { addDays, shanghaiDate } from '../src/common/business-time';
import { DEFAULT_BENCH_DB_URL } from './generate';
import { listQueries } from './lib/app-sql';
import { alternatingCpuRounds, inProcessArgs } from './lib/inprocess';
import { loadFixtures } from './lib/scenarios';

interface Build {
  label: string;
  list: (spec: Spec) => Promise<string>;
  close: () => Promise<void>;
}
interface Spec {
  user: { id: string; username: string; role: string; workstationId: string | null };
  query: Record<string, string>;
}

async function loadBuild(label: string, root: string, databaseUrl: string): Promise<Build> {
  const { DataSource } = require(`${root}/node_modules/typeorm`);
  const { buildDataSourceOptions } = require(`${root}/dist/src/database/data-source-options`);
  const { PgReads } = require(`${root}/dist/src/common/pg-reads`);
  const { CasesRepository } = require(`${root}/dist/src/case-core/cases.repository`);
  const { CasesService } = require(`${root}/dist/src/cases/cases.service`);
  const { ListCasesQuery } = require(`${root}/dist/src/cases/dto/list-cases.query`);
  const ds = new DataSource(buildDataSourceOptions({ url: databaseUrl, poolSize: 4 }));
  await ds.initialize();
  const service = new CasesService(
    new CasesRepository(ds, new PgReads(ds)),
    null,
    { now: () => new Date() },
    { share: async () => 0 },
    { recentlyBusy: () => true },
  );
  return {
    label,
    list: async (spec) => {
      const page = await service.list(spec.user, ListCasesQuery.accept(spec.query));
      const json = JSON.stringify(page);
      Buffer.byteLength(json);
      return json;
    },
    close: () => ds.destroy(),
  };
}

/** The floor's list (bench/floor-server.ts `list`): the same statement on a raw pg pool, the rows as they come, JSON.stringify. */
function floorBuild(databaseUrl: string): Build {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  return {
    label: 'floor',
    list: async (spec) => {
      const q = listQueries(spec.user as never, new URLSearchParams(spec.query), new Map());
      const { rows } = await pool.query(q.pageAndTotal.sql, q.pageAndTotal.params);
      const n: number = rows[0].__total;
      const items = rows[0].id === null ? [] : rows.map(({ __total, ...row }) => row);
      const json = JSON.stringify({ items, total: n, totalCapped: q.cap !== null && n >= q.cap, page: q.page_, pageSize: q.pageSize });
      Buffer.byteLength(json);
      return json;
    },
    close: () => pool.end(),
  };
}

async function main(): Promise<void> {
  const args = inProcessArgs(process.argv.slice(2), { requests: 700 });
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL;

  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const f = await loadFixtures(pg);
  const [{ id: adminId }] = (await pg.query(`SELECT id FROM users WHERE username = 'bench_admin'`)).rows;
  await pg.end();
  const staff = (i: number) => ({ id: '00000000-0000-4000-8000-00000000000' + i, username: `ws0${i + 1}_staff`, role: 'union_staff', workstationId: f.workstations[i].id as string });
  const admin = { id: adminId as string, username: 'bench_admin', role: 'admin', workstationId: null };
  const today = shanghaiDate(new Date());
  // The list scenario's seven filter mixes (bench/lib/scenarios.ts).
  const specs: Spec[] = [
    { user: staff(0), query: { status: 'assigned,in_mediation' } },
    { user: staff(0), query: { overdue: 'true' } },
    { user: staff(1), query: {} },
    { user: admin, query: { workstationId: f.workstations[1].id, status: 'confirmed', page: '5' } },
    { user: admin, query: { disputeType: 'wage_arrears', receivedFrom: addDays(today, -90), receivedTo: today } },
    { user: admin, query: { mediatorId: f.mediatorId, page: '2' } },
    { user: admin, query: { q: f.searchCaseNumber } },
  ];

  const builds: Build[] = [];
  for (const { label, root } of args.builds) builds.push(await loadBuild(label, root, databaseUrl));
  // With --floor, the floor's list too (its answer is its own: not compared).
  if (args.flag('--floor')) builds.push(floorBuild(databaseUrl));
  try {
    for (const spec of specs) {
      const answers = await Promise.all(builds.filter((b) => b.label !== 'floor').map((b) => b.list(spec)));
      if (answers.some((a) => a !== answers[0])) throw new Error(`the builds answer ${JSON.stringify(spec.query)} differently`);
    }
    await alternatingCpuRounds(builds, args, 'list (same answers)', (b, i) => b.list(specs[i % specs.length]));
  } finally {
    for (const b of builds) await b.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
