/**
 * The case read's own work per request (GET /cases/:id), in one process, without HTTP and the
 * request pipeline: each build's CasesService.get (the case row and its records read on its own
 * TypeORM data source's pg pool, parsed and mapped to views) and its answer written by
 * JSON.stringify (as Fastify writes it: the route has no response schema) and encoded as UTF-8,
 * for the bench's case scenario (random cases of five years, admin). PostgreSQL's own work is in
 * its processes, not counted here. Before timing, the builds' answers are compared for `--check`
 * cases (the scenario's, and cases with sessions, agreements, installments paid and confirmations
 * of every state), as admin and as union staff of the first workstation (masked numbers, 404s),
 * on a fixed clock. Builds take turns, round after round; the median CPU µs per read of each, and
 * per round each build's ÷ the first's, are printed.
 *
 *   node dist/bench/case-inprocess.js --build base=/tmp/base --build new=. [--rounds 9] [--requests 1500] [--concurrency 4] [--check 3000]
 *
 * A build is a folder with dist/src (as for bench/levers.ts). DATABASE_URL as for the bench (read only).
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { DEFAULT_BENCH_DB_URL } from './generate';
import { alternatingCpuRounds, inProcessArgs } from './lib/inprocess';
import { loadFixtures } from './lib/scenarios';

type User = { id: string; username: string; role: string; workstationId: string | null };
interface Build {
  label: string;
  get: (user: User, id: string) => Promise<string>;
  close: () => Promise<void>;
}

/** The clock of every answer: fixed, so that answers compare byte for byte (serverTime, installments' overdue). */
const NOW = new Date('2026-11-29T04:00:00.000Z');

async function loadBuild(label: string, root: string, databaseUrl: string): Promise<Build> {
  const { DataSource } = require(`${root}/node_modules/typeorm`);
  const { buildDataSourceOptions } = require(`${root}/dist/src/database/data-source-options`);
  const { PgReads } = require(`${root}/dist/src/common/pg-reads`);
  const { CasesRepository } = require(`${root}/dist/src/case-core/cases.repository`);
  const { CasesService } = require(`${root}/dist/src/cases/cases.service`);
  const ds = new DataSource(buildDataSourceOptions({ url: databaseUrl, poolSize: 4 }));
  await ds.initialize();
  const service = new CasesService(new CasesRepository(ds, new PgReads(ds)), null, { now: () => NOW }, { share: async () => 0 }, { recentlyBusy: () => true });
  return {
    label,
    get: async (user, id) => {
      let json: string;
      try {
        json = JSON.stringify(await service.get(user, id));
      } catch (e) {
        json = `error ${(e as Error).message}`;
      }
      Buffer.byteLength(json);
      return json;
    },
    close: () => ds.destroy(),
  };
}

async function main(): Promise<void> {
  const args = inProcessArgs(process.argv.slice(2), { requests: 1500 });
  const check = args.option('--check', 3000);
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL;

  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const f = await loadFixtures(pg);
  const [{ id: adminId }] = (await pg.query(`SELECT id FROM users WHERE username = 'bench_admin'`)).rows;
  // Cases with each kind of record (and each state of a confirmation), beside the scenario's random ones.
  const withRecords = (
    await pg.query(`(SELECT case_id AS id FROM confirmations WHERE ruling_extended_at IS NOT NULL LIMIT 200)
       UNION ALL (SELECT case_id FROM confirmations WHERE declined_at IS NOT NULL LIMIT 200)
       UNION ALL (SELECT case_id FROM confirmations WHERE accepted_at IS NOT NULL AND ruled_at IS NULL LIMIT 200)
       UNION ALL (SELECT a.case_id FROM agreements a JOIN installments i ON i.agreement_id = a.id WHERE i.paid_at IS NOT NULL LIMIT 200)
       UNION ALL (SELECT case_id FROM agreements WHERE breached_at IS NOT NULL LIMIT 200)
       UNION ALL (SELECT case_id FROM agreements WHERE superseded_at IS NOT NULL LIMIT 100)
       UNION ALL (SELECT case_id FROM case_sessions WHERE notes IS NOT NULL LIMIT 200)
       UNION ALL (SELECT case_id FROM attachments LIMIT 200)`)
  ).rows.map((r) => r.id as string);
  await pg.end();
  const admin: User = { id: adminId as string, username: 'bench_admin', role: 'admin', workstationId: null };
  const staff: User = { id: '00000000-0000-4000-8000-000000000001', username: 'ws01_staff', role: 'union_staff', workstationId: f.workstations[0].id };

  const builds: Build[] = [];
  for (const { label, root } of args.builds) builds.push(await loadBuild(label, root, databaseUrl));
  try {
    const checked = [...withRecords, ...f.caseIds.slice(0, check), '00000000-0000-4000-8000-000000000000'];
    let bytes = 0;
    for (const id of checked) {
      for (const user of [admin, staff]) {
        const answers = await Promise.all(builds.map((b) => b.get(user, id)));
        if (answers.some((a) => a !== answers[0])) throw new Error(`the builds answer case ${id} for ${user.username} differently:\n${answers.join('\n')}`);
        bytes += answers[0].length;
      }
    }
    console.log(`same answers for ${checked.length} cases (${withRecords.length} with records of each kind) × 2 users, ${bytes} characters`);
    await alternatingCpuRounds(builds, args, 'case read (same answers)', (b, i) => b.get(admin, f.caseIds[i % f.caseIds.length]));
  } finally {
    for (const b of builds) await b.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
