// Node CPU per intake with the database: the app's (quick validation + CaseIntakeService.create on PgReads.transaction + JSON of the view)
// against the floor's (JSON.parse + bench/floor-server.ts's intake statements + JSON of its answer), same pg pool, 4 in flight,
// alternating rounds, medians. ROOTS=label=/path,... (the app builds); the floor variant uses the first root's helpers.
const roots = (process.env.ROOTS || 'base=/work/wt-intake-base,new=/work/wt-intake').split(',').map((s) => s.split('='));
const URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/mediation_bench_intake';
require('/work/main/node_modules/reflect-metadata');
const { DataSource } = require('/work/main/node_modules/typeorm');
const { randomUUID } = require('node:crypto');
(async () => {
  const run = {};
  let floorSetup; const dsByLabel = {};
  let wsIds, users;
  for (const [label, root] of roots) {
    const r = (p) => require(`${root}/dist/src/${p}`);
    const { buildDataSourceOptions } = r('database/data-source-options.js');
    const opts = buildDataSourceOptions({ url: URL, poolSize: 4 });
    const ds = new DataSource({ ...opts, extra: { ...opts.extra, application_name: 'txb-' + label }, migrations: [] });
    dsByLabel[label] = ds;
    await ds.initialize();
    if (!wsIds) {
      wsIds = (await ds.query(`SELECT id FROM workstations ORDER BY code`)).map((x) => x.id);
      users = (await ds.query(`SELECT id, username, workstation_id FROM users WHERE role = 'union_staff' AND workstation_id IS NOT NULL ORDER BY username`));
    }
    const { CaseIntakeService } = r('cases/case-intake.service.js');
    const { CasesRepository } = r('case-core/cases.repository.js');
    const { CaseTransactionService } = r('case-core/case-transaction.service.js');
    const { RemindersService } = r('reminders/reminders.service.js');
    const { RemindersRepository } = r('reminders/reminders.repository.js');
    const { SystemClock } = r('common/clock.js');
    const { PgReads } = r('common/pg-reads.js');
    const { CreateCaseDto } = r('cases/dto/create-case.dto.js');
    const clock = new SystemClock();
    const pg = new PgReads(ds);
    const cases = new CasesRepository(ds, pg);
    const svc = CaseIntakeService.length === 7 ? new CaseIntakeService(ds, cases, new CaseTransactionService(ds, cases, clock), new RemindersService(clock, new RemindersRepository(ds), null), clock, { calendar: async () => ({}) }, pg) : new CaseIntakeService(cases, new CaseTransactionService(ds, cases, clock), new RemindersService(clock, new RemindersRepository(ds), null), clock, { calendar: async () => ({}) }, pg);
    run[label] = async (i, body) => {
      const u = users[i % users.length];
      const dto = CreateCaseDto.accept(JSON.parse(body(i, u.workstation_id)));
      const view = await svc.create({ id: u.id, role: 'union_staff', workstationId: u.workstation_id, username: u.username }, dto);
      return JSON.stringify(view).length;
    };
    if (!floorSetup) floorSetup = { ds, r, root };
  }
  if (process.env.FLOOR !== '0') {
    const { ds, r, root } = floorSetup;
    const pool = ds.driver.master;
    const { shanghaiYear } = r('common/business-time.js');
    const { mediationDeadline } = r('case-core/statutory-periods.js');
    const { mediationPlans, plansToWrite } = r('reminders/reminder-registry.js');
    const { insertTimelineEventWithOutbox } = r('webhooks/webhook-outbox.js');
    const { PgReads } = r('common/pg-reads.js');
    const pgReads = new PgReads(ds);
    async function inTransactionApp(fn) { return pgReads.transaction((tx) => fn({ query: async (sql, params) => ({ rows: await tx.query(sql, params) }) })); }
    async function inTransaction(fn, user) {
      if (user && user.pgreads) return inTransactionApp(fn);
      const client = await pool.connect();
      try { await client.query('BEGIN'); const result = await fn(client); await client.query('COMMIT'); return result; }
      catch (e) { await client.query('ROLLBACK').catch(() => undefined); throw e; }
      finally { client.release(); }
    }
    async function intake(user, body) {
      const now = new Date(); const receivedAt = now;
      const deadlineAt = mediationDeadline({ source: body.source, receivedAt });
      return inTransaction(async (db) => {
        const year = shanghaiYear(receivedAt); const id = randomUUID();
        const { rows } = await db.query(
          `WITH counter AS (
         INSERT INTO case_number_counters (workstation_id, year, last_value)
         SELECT id, $2, 1 FROM workstations WHERE id = $1
         ON CONFLICT (workstation_id, year) DO UPDATE SET last_value = case_number_counters.last_value + 1
         RETURNING last_value)
       INSERT INTO cases (case_number, id, workstation_id, source, court_case_number, simple_procedure, dispute_type, status, summary, claim_amount, worker_count,
                          applicant_name, applicant_id_number, applicant_phone, respondent_name, respondent_credit_code, respondent_phone, mediator_id,
                          received_at, deadline_at, extension_days, overdue, concluded_at, outcome_reason, created_by, version, created_at, updated_at)
       SELECT w.code || '-' || $2::text || '-' || lpad(counter.last_value::text, 6, '0'), $3, $1, $4, $5, false, $6, 'registered', $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL,
              $16, $17, 0, false, NULL, NULL, $18, 1, $19, $19
         FROM counter, workstations w WHERE w.id = $1
       RETURNING case_number`,
          [body.workstationId, year, id, body.source, body.courtCaseNumber ?? null, body.disputeType, body.summary, body.claimAmount,
            body.workerCount ?? 1, body.applicant.name, body.applicant.idNumber ?? null, body.applicant.phone ?? null, body.respondent.name,
            body.respondent.creditCode ?? null, body.respondent.phone ?? null, receivedAt, deadlineAt, user.id, now]);
        const caseNumber = rows[0].case_number;
        const after = { caseNumber, status: 'registered', source: body.source, disputeType: body.disputeType, claimAmount: body.claimAmount, deadlineAt };
        if (user.outbox) await insertTimelineEventWithOutbox({ query: async (sql, params) => (await db.query(sql, params)).rows }, { caseId: id, type: 'case_registered', actorId: user.id, at: now, before: null, after });
        else await db.query(`INSERT INTO case_events (case_id, type, actor_id, at, before, after) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [
          id, 'case_registered', user.id, now, null,
          JSON.stringify(after)]);
        const plans = plansToWrite(mediationPlans(deadlineAt), now);
        if (plans.length) await db.query(`INSERT INTO reminders (kind, case_id, subject_id, subject_seq, fire_at, due_at, status)
         SELECT k, $1, s, q, f, d, 'pending' FROM unnest($2::varchar[], $3::uuid[], $4::int[], $5::timestamptz[], $6::timestamptz[]) AS t(k, s, q, f, d)`,
          [id, plans.map((p) => p.kind), plans.map((p) => p.subjectId), plans.map((p) => p.subjectSeq), plans.map((p) => p.fireAt), plans.map((p) => p.dueAt)]);
        return { ...body, id, caseNumber, status: 'registered', deadlineAt };
      }, user);
    }
    run.floor = async (i, body) => {
      const u = users[i % users.length];
      return JSON.stringify(await intake({ id: u.id }, JSON.parse(body(i, u.workstation_id)))).length;
    };
    if (process.env.PGREADS) run.floorPgReads = async (i, body) => {
      const u = users[i % users.length];
      return JSON.stringify(await intake({ id: u.id, pgreads: true }, JSON.parse(body(i, u.workstation_id)))).length;
    };
    if (process.env.OUTBOX) run.floorOutbox = async (i, body) => {
      const u = users[i % users.length];
      return JSON.stringify(await intake({ id: u.id, outbox: true }, JSON.parse(body(i, u.workstation_id)))).length;
    };
  }
  const body = (i, ws) => JSON.stringify({ workstationId: ws, source: ['walk_in', 'hotline', 'arbitration_referral'][i % 3], disputeType: 'wage_arrears', summary: '申请人主张被申请人拖欠3个月工资，要求支付工资及经济补偿', claimAmount: `${10000 + (i % 5000)}.50`, applicant: { name: '张三', idNumber: '440104199001011234', phone: '13800000000' }, respondent: { name: '广州市宏达电子科技有限公司', creditCode: '91440101MA5ABCDE0X', phone: '020-12345678' } });
  const N = +(process.env.N || 1000), conc = +(process.env.CONC || 4), rounds = +(process.env.ROUNDS || 9);
  if (process.env.ONLY) for (const k of Object.keys(run)) if (!process.env.ONLY.split(",").includes(k)) delete run[k];
  const labels = Object.keys(run), res = Object.fromEntries(labels.map((k) => [k, []]));
  let seq = 0; const walls = {}, pgs = {};
  for (let r = 0; r < rounds; r++) for (const name of r % 2 ? labels.slice().reverse() : labels) {
    const fs = require('fs');
    const pgLabel = name in dsByLabel ? name : Object.keys(dsByLabel)[0];
    const pids = (await dsByLabel[pgLabel].query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, ['txb-' + pgLabel])).map((x) => x.pid);
    const pgCpu = () => pids.reduce((sum, p) => { try { const st = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' '); return sum + (+st[11] + +st[12]) * 10000; } catch { return sum; } }, 0);
    const pg0 = pgCpu();
    const threads = () => Object.fromEntries(fs.readdirSync('/proc/self/task').map((t) => { const st = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1].split(' '); const comm = fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim(); return [t + ':' + comm, (+st[11] + +st[12]) * 10000]; }));
    const t0 = threads();
    const c0 = process.cpuUsage(), w0 = process.hrtime.bigint();
    let left = N;
    await Promise.all(Array.from({ length: conc }, async () => { while (left-- > 0) await run[name](seq++, body); }));
    const c = process.cpuUsage(c0), wall = Number(process.hrtime.bigint() - w0) / 1e9;
    if (r > 0) (walls[name] ??= []).push(Math.round(N / wall));
    if (r > 0) (pgs[name] ??= []).push(Math.round((pgCpu() - pg0) / N));
    const t1 = threads();
    if (process.env.THREADS) console.log(name, Object.entries(t1).map(([k, v]) => `${k}=${Math.round((v - (t0[k] || 0)) / N)}`).filter((x) => !x.endsWith('=0')).join(' '));
    if (r > 0) res[name].push(Math.round((c.user + c.system) / N) + "(" + Math.round(c.user / N) + "u/" + Math.round(c.system / N) + "s)");
  }
  const med = (xs) => xs.slice().sort((a, b) => parseInt(a) - parseInt(b))[Math.floor(xs.length / 2)];
  for (const k of labels) console.log(k, 'median µs CPU/intake', med(res[k]), JSON.stringify(res[k]), 'intakes/s', med(walls[k]), JSON.stringify(walls[k]), 'PostgreSQL CPU µs/intake (backends of its pool)', med(pgs[k]), JSON.stringify(pgs[k]));
  process.exit(0);
})();
