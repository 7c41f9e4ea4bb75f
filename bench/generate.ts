/**
 * Fills a migrated database with a province's worth of mediation history, with bulk
 * INSERT ... SELECT over generate_series (no row leaves PostgreSQL):
 *
 *   node dist/bench/generate.js --cases 1000000 [--years 5] [--workstations 20] [--mediators 200] [--reset]
 *
 * DATABASE_URL names the database (default mediation_bench); it is created and migrated when
 * needed. Everything runs in one transaction: the secondary indexes and foreign keys of the big
 * tables are dropped first and re-created at the end from their own definitions (so a failure
 * leaves the schema untouched and the foreign keys are validated once, set-wise, instead of per
 * row). CHECK constraints stay in place during the load. VACUUM ANALYZE runs after the commit,
 * so the benchmark neither waits for autovacuum nor runs beside it.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { PasswordHasher } from '../src/accounts-core/password-hasher';
import { migrate } from '../src/database/migrate';

export const BENCH_PASSWORD = 'bench-password-1';
export const DEFAULT_BENCH_DB_URL = 'postgres://postgres@127.0.0.1:5432/mediation_bench';

export interface GenerateOptions {
  cases: number;
  years?: number;
  workstations?: number;
  mediators?: number;
  /** The generation's "now": cases are received over the `years` before it. */
  now?: Date;
  /** Empty the domain tables first (otherwise a database that already holds cases is refused). */
  reset?: boolean;
  /** Seed for PostgreSQL's random() (0..1), so that two runs with the same options give the same mix. */
  seed?: number;
  log?: (line: string) => void;
}

export interface GenerateResult {
  cases: number;
  events: number;
  sessions: number;
  agreements: number;
  installments: number;
  confirmations: number;
  users: number;
  workstations: number;
  seconds: number;
  /** Time per step, in seconds. */
  steps: Record<string, number>;
}

/** The tables the generator fills in bulk: their secondary indexes and foreign keys are rebuilt after the load. */
const BULK_TABLES = ['cases', 'case_sessions', 'agreements', 'installments', 'confirmations', 'case_events'];
/** Every table the generator writes, emptied by --reset (with what refers to them). */
const DOMAIN_TABLES = ['notifications', 'reminders', 'case_events', 'confirmations', 'installments', 'agreements', 'case_sessions', 'cases', 'case_number_counters', 'users', 'workstations'];

/**
 * Row triggers that keep derived data, which a million single-row firings inside one transaction
 * make slow (an upsert of a few hot counter rows per inserted case walks ever longer chains of
 * dead row versions). They are disabled during the load and their data rebuilt set-wise after it
 * (`rebuild`), or emptied with the other derived statistics (no `rebuild`). Triggers not listed
 * here stay enabled and fire as usual.
 */
const DERIVING_TRIGGERS: Array<{ table: string; trigger: string; rebuild?: string }> = [
  {
    table: 'cases',
    trigger: 'case_counts_inserted_or_deleted',
    rebuild: `DELETE FROM case_counts;
              INSERT INTO case_counts (workstation_id, status, dispute_type, n) SELECT workstation_id, status, dispute_type, count(*) FROM cases GROUP BY 1, 2, 3`,
  },
  // They only mark statistics snapshot days stale; all stats_* tables are emptied after the load.
  { table: 'cases', trigger: 'stats_case_inserted_or_deleted' },
  { table: 'agreements', trigger: 'stats_agreement_inserted_or_deleted' },
];

const CITIES = ['广州', '深圳', '珠海', '汕头', '佛山', '韶关', '湛江', '肇庆', '江门', '茂名', '惠州', '梅州', '汕尾', '河源', '阳江', '清远', '东莞', '中山', '潮州', '揭阳', '云浮'];

/** A deterministic v4-shaped uuid from a text key (the ids of sessions, agreements and confirmations derive from their case). */
const derivedUuid = (key: string) => `overlay(overlay(md5(${key}) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid`;
const pick = (values: readonly string[]) => `(ARRAY[${values.map((v) => `'${v}'`).join(',')}])[1 + floor(random() * ${values.length})::int]`;
const SH = `'Asia/Shanghai'`;

// Session k of a case (1-based) happens at A + S * (k - 0.4) / n, where A is the assignment, S the
// span from assignment to the planned conclusion and n the planned number of sessions; it is booked
// halfway after the previous one (never after "now"). Every phase of the timeline below keeps this order.
const sessionAt = (k: string) => `(p.assigned_at + p.span_s * ((${k}) - 0.4) / p.n_sess * interval '1 second')`;
const sessionBookedAt = (k: string) =>
  `least(p.assigned_at + p.span_s * (CASE WHEN (${k}) = 1 THEN 0.3 ELSE (${k}) - 0.9 END) / p.n_sess * interval '1 second', $1::timestamptz)`;

async function timed<T>(steps: Record<string, number>, name: string, log: (l: string) => void, fn: () => Promise<T>): Promise<T> {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  steps[name] = Math.round(s * 10) / 10;
  log(`  ${name}: ${s.toFixed(1)} s`);
  return result;
}

export async function generateBenchData(databaseUrl: string, options: GenerateOptions): Promise<GenerateResult> {
  const n = options.cases;
  const years = options.years ?? 5;
  const W = options.workstations ?? 20;
  const M = options.mediators ?? 200;
  const now = options.now ?? new Date();
  const log = options.log ?? (() => undefined);
  if (!Number.isInteger(n) || n < 1) throw new Error('--cases must be a positive integer');
  if (!Number.isInteger(W) || W < 1 || W > 999) throw new Error('--workstations must be 1..999');
  if (!Number.isInteger(M) || M < W) throw new Error('--mediators must be an integer ≥ the number of workstations');
  if (!(years > 0 && years <= 50)) throw new Error('--years must be in (0, 50]');
  const start = new Date(now.getTime() - years * 365.25 * 24 * 3600 * 1000);
  const steps: Record<string, number> = {};
  const t0 = Date.now();

  await migrate(databaseUrl, 'run', () => undefined);
  const passwordHash = await new PasswordHasher().hash(BENCH_PASSWORD);
  const db = new Client({ connectionString: databaseUrl, application_name: 'bench-generate' });
  await db.connect();
  try {
    // Session settings for a bulk load (temp_buffers must be set before the first temporary table).
    await db.query(`SET temp_buffers = '1GB'; SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off; SET statement_timeout = 0; SET jit = off`);
    const { rows: existing } = await db.query(`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM users)::int AS users`);
    if ((existing[0].cases > 0 || existing[0].users > 0) && !options.reset) {
      throw new Error(`the database already holds ${existing[0].cases} cases and ${existing[0].users} users: pass --reset to replace them`);
    }
    await db.query('BEGIN');
    if (options.reset) await timed(steps, 'reset', log, () => db.query(`TRUNCATE ${DOMAIN_TABLES.join(', ')} CASCADE`));
    await db.query(`SELECT setseed($1)`, [options.seed ?? 0.42]);

    // Drop what makes a bulk load slow (secondary indexes, per-row foreign-key checks); put back below.
    const { rows: fks } = await db.query<{ tbl: string; name: string; def: string }>(
      `SELECT conrelid::regclass::text AS tbl, conname AS name, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[]) ORDER BY 1, 2`,
      [BULK_TABLES],
    );
    const { rows: indexes } = await db.query<{ name: string; def: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY 1`,
      [BULK_TABLES],
    );
    const { rows: present } = await db.query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D' AND tgname = ANY($1)`,
      [DERIVING_TRIGGERS.map((t) => t.trigger)],
    );
    const deriving = DERIVING_TRIGGERS.filter((t) => present.some((p) => p.tgname === t.trigger));
    await timed(steps, 'drop indexes and foreign keys', log, async () => {
      for (const fk of fks) await db.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${fk.name}`);
      for (const ix of indexes) await db.query(`DROP INDEX ${ix.name}`);
      for (const t of deriving) await db.query(`ALTER TABLE ${t.table} DISABLE TRIGGER ${t.trigger}`);
    });

    await timed(steps, 'workstations and users', log, () => insertAccounts(db, { W, M, passwordHash }));

    await timed(steps, 'plan', log, () => createPlan(db, { n, W, now, start }));
    await timed(steps, 'case_sessions', log, () => insertSessions(db, now));
    await timed(steps, 'agreements and installments', log, () => insertAgreements(db, now));
    await timed(steps, 'confirmations', log, () => insertConfirmations(db));
    // The timeline before the cases (the foreign keys are off until the end): each case's version
    // and updated_at are then read from its own events, so they cannot disagree.
    await timed(steps, 'case_events', log, () => insertEvents(db, now));
    await timed(steps, 'cases', log, () => insertCases(db));
    await timed(steps, 'case_number_counters', log, () =>
      db.query(`INSERT INTO case_number_counters (workstation_id, year, last_value) SELECT ws_id, yr, max(seq) FROM bench_plan GROUP BY ws_id, yr`),
    );
    // Statistics snapshots and rollups (stats_*: derived data, if the schema has them) describe data that no longer exists.
    const { rows: derived } = await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'stats\\_%' ORDER BY 1`);
    if (derived.length) await db.query(`TRUNCATE ${derived.map((t) => `"${t.tablename}"`).join(', ')}`);

    await timed(steps, 'indexes', log, async () => {
      for (const ix of indexes) await db.query(ix.def);
    });
    await timed(steps, 'foreign keys', log, async () => {
      for (const fk of fks) await db.query(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${fk.name} ${fk.def}`);
    });
    await timed(steps, 'derived counters', log, async () => {
      for (const t of deriving) {
        if (t.rebuild) await db.query(t.rebuild);
        await db.query(`ALTER TABLE ${t.table} ENABLE TRIGGER ${t.trigger}`);
      }
    });
    await db.query('DROP TABLE bench_plan, bench_ws, bench_med');
    await timed(steps, 'commit', log, () => db.query('COMMIT'));
    await timed(steps, 'vacuum analyze', log, () => db.query(`VACUUM (ANALYZE) ${DOMAIN_TABLES.join(', ')}`));

    const { rows } = await db.query(`
      SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events,
             (SELECT count(*) FROM case_sessions)::int AS sessions, (SELECT count(*) FROM agreements)::int AS agreements,
             (SELECT count(*) FROM installments)::int AS installments, (SELECT count(*) FROM confirmations)::int AS confirmations,
             (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM workstations)::int AS workstations`);
    return { ...rows[0], seconds: Math.round((Date.now() - t0) / 100) / 10, steps };
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await db.end();
  }
}

/**
 * W workstations; per workstation one union officer (`ws01_staff`) and one court clerk
 * (`ws01_clerk`); M mediators spread over the workstations (`ws01_med01`...); one admin
 * (`bench_admin`) and one city-level union officer (`city_staff`). Every password is BENCH_PASSWORD.
 */
async function insertAccounts(db: Client, { W, M, passwordHash }: { W: number; M: number; passwordHash: string }): Promise<void> {
  await db.query(`CREATE TEMP TABLE bench_ws (idx int PRIMARY KEY, id uuid NOT NULL, code text NOT NULL, court_code text NOT NULL, staff_id uuid, clerk_id uuid, n_med int NOT NULL) ON COMMIT DROP`);
  await db.query(`CREATE TEMP TABLE bench_med (ws_idx int, k int, id uuid NOT NULL, PRIMARY KEY (ws_idx, k)) ON COMMIT DROP`);
  await db.query(
    `INSERT INTO bench_ws (idx, id, code, court_code, n_med)
     SELECT w, gen_random_uuid(), 'WS' || lpad(w::text, 2, '0'), '粤' || lpad((100 + w)::text, 4, '0'), $2 / $1 + CASE WHEN w <= $2 % $1 THEN 1 ELSE 0 END
       FROM generate_series(1, $1::int) w`,
    [W, M],
  );
  await db.query(
    `INSERT INTO workstations (id, code, name, court, union_name, region)
     SELECT id, code, city || '市劳动争议诉调对接工作室' || CASE WHEN idx > $2 THEN idx::text ELSE '' END,
            city || '市人民法院', city || '市总工会', '广东省' || city || '市'
       FROM (SELECT w.*, ($1::text[])[1 + (w.idx - 1) % $2] AS city FROM bench_ws w) x`,
    [CITIES, CITIES.length],
  );
  const user = (username: string, display: string, role: string, ws: string) =>
    `INSERT INTO users (username, password_hash, display_name, role, workstation_id) SELECT ${username}, $1, ${display}, '${role}', ${ws} FROM bench_ws w`;
  await db.query(
    `INSERT INTO users (username, password_hash, display_name, role, workstation_id)
     VALUES ('bench_admin', $1, '系统管理员', 'admin', NULL), ('city_staff', $1, '市总工会法律部', 'union_staff', NULL)`,
    [passwordHash],
  );
  await db.query(user(`lower(w.code) || '_staff'`, `w.code || '工会干部'`, 'union_staff', 'w.id'), [passwordHash]);
  await db.query(user(`lower(w.code) || '_clerk'`, `w.code || '法院书记员'`, 'court_clerk', 'w.id'), [passwordHash]);
  await db.query(
    `INSERT INTO users (username, password_hash, display_name, role, workstation_id)
     SELECT lower(w.code) || '_med' || lpad(k::text, 2, '0'), $1, ${pick(['王', '李', '张', '刘', '陈', '杨', '黄', '赵'])} || '调解员' || k, 'mediator', w.id
       FROM bench_ws w CROSS JOIN LATERAL generate_series(1, w.n_med) k`,
    [passwordHash],
  );
  await db.query(`
    UPDATE bench_ws w SET staff_id = (SELECT id FROM users WHERE username = lower(w.code) || '_staff'),
                          clerk_id = (SELECT id FROM users WHERE username = lower(w.code) || '_clerk')`);
  await db.query(`
    INSERT INTO bench_med (ws_idx, k, id)
    SELECT w.idx, substr(u.username, length(u.username) - 1)::int - 1, u.id
      FROM bench_ws w JOIN users u ON u.workstation_id = w.id AND u.role = 'mediator'`);
}

/**
 * One row per case with every decision that the inserts below share: when it was received,
 * where, by which route, its mediator, how and when mediation ended, its sessions, agreement
 * and confirmation. Uniform randoms are drawn once per case in the innermost subquery; the
 * outer layers only derive. Each layer ends in OFFSET 0, a fence that keeps the planner from
 * inlining it into the next (which would recompute every shared expression per reference).
 *
 * The mix: 67% of concluded mediations end in agreement, 25% fail, 8% are withdrawn; 85% of
 * agreements apply for judicial confirmation within 25 days, 96% of those are confirmed. Cases
 * conclude within about their statutory period, so the open ones are the last few weeks' intake,
 * plus 1% of the last half-year's cases that got stuck (in mediation, overdue).
 */
async function createPlan(db: Client, { n, W, now, start }: { n: number; W: number; now: Date; start: Date }): Promise<void> {
  await db.query(`
    CREATE TEMP TABLE bench_plan (
      i int PRIMARY KEY, id uuid NOT NULL, ws_id uuid NOT NULL, ws_code text NOT NULL, court_code text NOT NULL, staff_id uuid NOT NULL, clerk_id uuid NOT NULL,
      created_by uuid NOT NULL, mediator_id uuid, received_at timestamptz NOT NULL, yr int NOT NULL, seq int NOT NULL,
      source text NOT NULL, simple_procedure boolean NOT NULL, dispute_type text NOT NULL, claim_amount numeric(14,2) NOT NULL,
      base_deadline_at timestamptz NOT NULL, deadline_at timestamptz NOT NULL, ext_days int NOT NULL, ext_at timestamptz,
      outcome text NOT NULL, status text NOT NULL, concluded boolean NOT NULL, concluded_at timestamptz, overdue boolean NOT NULL,
      assigned_at timestamptz, span_s float8, n_sess int NOT NULL, n_held int NOT NULL, n_sched int NOT NULL,
      agreed_amount numeric(14,2), n_inst int NOT NULL, defaulting boolean NOT NULL,
      applied_at timestamptz, ruled_at timestamptz
    ) ON COMMIT DROP`);
  // $1 now, $2 start, $3 n, $4 W, $5 M. Read from the innermost layer outwards.
  await db.query(
    `
    INSERT INTO bench_plan
    SELECT i, id, ws_id, ws_code, court_code, staff_id, clerk_id,
           CASE WHEN source IN ('court_entrusted', 'court_assigned') THEN clerk_id ELSE staff_id END,
           CASE WHEN has_med THEN med_id END, received_at, yr,
           row_number() OVER (PARTITION BY ws_id, yr ORDER BY received_at, i),
           source, simple_procedure, dispute_type, claim_amount,
           base_deadline_at, base_deadline_at + ext_applied * interval '1 day', ext_applied, CASE WHEN ext_applied > 0 THEN ext_at END,
           outcome, status, concluded, CASE WHEN concluded THEN planned_end END, overdue,
           CASE WHEN has_med THEN assigned_at END, span_s, n_sess, n_held, n_sched,
           CASE WHEN concluded AND outcome = 'agreement' THEN agreed_amount END, n_inst, defaulting,
           CASE WHEN status IN ('confirmation_requested', 'confirmed', 'confirmation_rejected') THEN applied_at END,
           CASE WHEN status IN ('confirmed', 'confirmation_rejected') THEN ruled_at END
      FROM (
        SELECT c.*,
               CASE WHEN concluded AND outcome = 'failed' THEN 'failed'
                    WHEN concluded AND outcome = 'withdrawn' THEN 'withdrawn'
                    WHEN concluded AND (NOT apply_planned OR applied_at > $1::timestamptz) THEN 'agreement_reached'
                    WHEN concluded AND ruled_at > $1::timestamptz THEN 'confirmation_requested'
                    WHEN concluded AND u_rok < 0.96 THEN 'confirmed'
                    WHEN concluded THEN 'confirmation_rejected'
                    WHEN NOT has_med THEN 'registered'
                    WHEN n_held > 0 THEN 'in_mediation'
                    ELSE 'assigned' END AS status,
               CASE WHEN has_med AND NOT concluded AND n_held < n_sess THEN 1 ELSE 0 END AS n_sched,
               NOT concluded AND base_deadline_at + ext_applied * interval '1 day' < $1::timestamptz AS overdue
          FROM (
            SELECT b.*,
                   CASE WHEN NOT has_med OR n_sess = 0 THEN 0
                        WHEN concluded THEN n_sess
                        ELSE least(n_sess, greatest(0, floor(extract(epoch FROM $1::timestamptz - assigned_at) / span_s * n_sess + 0.4)))::int END AS n_held,
                   CASE WHEN has_med AND ext_days > 0 AND ext_at <= $1::timestamptz THEN ext_days ELSE 0 END AS ext_applied
              FROM (
                SELECT a.*,
                       NOT stuck AND planned_end <= $1::timestamptz AS concluded,
                       NOT no_med AND assigned_at <= $1::timestamptz AS has_med,
                       assigned_at + (planned_end - assigned_at) * 0.93 AS ext_at,
                       greatest(extract(epoch FROM planned_end - assigned_at), 60) AS span_s,
                       planned_end + (1 + u_apply * 24) * interval '1 day' AS applied_at,
                       planned_end + (1 + u_apply * 24 + 2 + u_rule * 12) * interval '1 day' AS ruled_at
                  FROM (
                    SELECT r.*,
                           received_at + least(0.04 + u_assign * 1.5, dur_days * 0.3) * interval '1 day' AS assigned_at,
                           received_at + dur_days * interval '1 day' AS planned_end
                      FROM (
                        SELECT q.*,
                               CASE outcome WHEN 'withdrawn' THEN 0.2 + power(u_dur, 1.5) * period * 0.6
                                            ELSE 0.4 + power(u_dur, 1.3) * period * 1.08 + ext_days * 0.8 END AS dur_days,
                               ((received_at AT TIME ZONE ${SH})::date + period + 1)::timestamp AT TIME ZONE ${SH} AS base_deadline_at
                          FROM (
                            SELECT s.*,
                                   CASE source WHEN 'court_assigned' THEN 30 WHEN 'court_entrusted' THEN CASE WHEN simple_procedure THEN 7 ELSE 15 END ELSE 15 END AS period,
                                   CASE WHEN u_ext < 0.04 AND outcome <> 'withdrawn' THEN 5 + floor(u_ext * 10000)::int % 11 ELSE 0 END AS ext_days,
                                   u_conf < 0.85 AS apply_planned,
                                   round(claim_amount * (0.4 + 0.55 * u_agreed)::numeric, 2) AS agreed_amount,
                                   CASE WHEN u_inst < 0.55 THEN 1 WHEN u_inst < 0.85 THEN 2 WHEN u_inst < 0.95 THEN 3 ELSE 6 END AS n_inst,
                                   u_def < 0.05 AS defaulting,
                                   CASE WHEN no_med THEN 0 WHEN outcome = 'withdrawn' THEN floor(u_sess * 2)::int ELSE 1 + floor(u_sess * 3)::int END AS n_sess
                              FROM (
                                SELECT raw.*, w.id AS ws_id, w.code AS ws_code, w.court_code, w.staff_id, w.clerk_id, m.id AS med_id,
                                       extract(year FROM raw.received_at AT TIME ZONE ${SH})::int AS yr,
                                       CASE WHEN u_src < 0.30 THEN 'court_entrusted' WHEN u_src < 0.55 THEN 'court_assigned' WHEN u_src < 0.80 THEN 'walk_in'
                                            WHEN u_src < 0.90 THEN 'hotline' ELSE 'arbitration_referral' END AS source,
                                       u_src < 0.30 AND u_simple < 0.2 AS simple_procedure,
                                       CASE WHEN u_type < 0.35 THEN 'wage_arrears' WHEN u_type < 0.50 THEN 'dismissal' WHEN u_type < 0.62 THEN 'social_insurance'
                                            WHEN u_type < 0.72 THEN 'work_injury' WHEN u_type < 0.82 THEN 'overtime' WHEN u_type < 0.95 THEN 'compensation' ELSE 'other' END AS dispute_type,
                                       round((1500 + 150000 * power(u_amt, 3) + 3000 * u_amt)::numeric, 2) AS claim_amount,
                                       CASE WHEN u_out < 0.67 THEN 'agreement' WHEN u_out < 0.92 THEN 'failed' ELSE 'withdrawn' END AS outcome,
                                       u_stuck < 0.01 AND raw.received_at > $1::timestamptz - interval '180 days' AS stuck,
                                       u_out >= 0.92 AND u_nomed < 0.3 AS no_med
                                  FROM (
                                    SELECT i, gen_random_uuid() AS id,
                                           $2::timestamptz + ($1::timestamptz - $2::timestamptz) * ((i - 1 + random()) / $3::int) AS received_at,
                                           1 + least($4::int - 1, floor($4::int * power(random(), 1.2)))::int AS ws_idx,
                                           random() AS u_med, random() AS u_src, random() AS u_simple, random() AS u_type, random() AS u_amt,
                                           random() AS u_out, random() AS u_dur, random() AS u_assign, random() AS u_ext, random() AS u_sess,
                                           random() AS u_conf, random() AS u_apply, random() AS u_rule, random() AS u_rok, random() AS u_stuck,
                                           random() AS u_agreed, random() AS u_inst, random() AS u_def, random() AS u_nomed
                                      FROM generate_series(1, $3::int) i
                                    OFFSET 0
                                  ) raw
                                  JOIN bench_ws w ON w.idx = raw.ws_idx
                                  JOIN bench_med m ON m.ws_idx = raw.ws_idx AND m.k = floor(raw.u_med * w.n_med)::int
                                OFFSET 0
                              ) s
                            OFFSET 0
                          ) q
                        OFFSET 0
                      ) r
                    OFFSET 0
                  ) a
                OFFSET 0
              ) b
            OFFSET 0
          ) c
      ) d
    `,
    [now.toISOString(), start.toISOString(), n, W],
  );
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文', '华', '志强', '海燕', '小红', '春梅', '国庆'];
const BRANDS = ['华强', '宏达', '新纪元', '美嘉', '恒通', '盛世', '东方', '金源', '顺发', '鑫隆', '永辉', '创业', '联合', '利民', '嘉禾', '天成'];
const TRADES = ['电子科技', '建筑工程', '服装', '物流', '餐饮管理', '五金制品', '物业服务', '家具', '塑胶制品', '商贸', '保安服务', '食品'];
const FAILURE_REASONS = ['双方对赔偿金额分歧过大', '被申请人拒不到场', '申请人要求仲裁', '被申请人否认劳动关系'];
const WITHDRAWAL_REASONS = ['双方已自行和解', '申请人撤回调解申请', '申请人另行提起仲裁'];

async function insertCases(db: Client): Promise<void> {
  await db.query(
    `
    INSERT INTO cases (id, case_number, workstation_id, source, court_case_number, simple_procedure, dispute_type, status, summary,
                       claim_amount, worker_count, applicant_name, applicant_id_number, applicant_phone, respondent_name,
                       respondent_credit_code, respondent_phone, mediator_id, received_at, deadline_at, extension_days, overdue,
                       concluded_at, outcome_reason, created_by, version, created_at, updated_at)
    SELECT p.id, p.ws_code || '-' || p.yr || '-' || lpad(p.seq::text, 6, '0'), p.ws_id, p.source,
           CASE WHEN p.source IN ('court_entrusted', 'court_assigned') THEN '(' || p.yr || ')' || p.court_code || '民初' || p.seq || '号' END,
           p.simple_procedure, p.dispute_type, p.status,
           CASE p.dispute_type
             WHEN 'wage_arrears' THEN '申请人主张被申请人拖欠' || (1 + p.i % 6) || '个月工资'
             WHEN 'dismissal' THEN '申请人主张被申请人违法解除劳动合同，要求支付赔偿金'
             WHEN 'social_insurance' THEN '申请人要求被申请人补缴社会保险费'
             WHEN 'work_injury' THEN '申请人在工作中受伤，要求被申请人支付工伤待遇'
             WHEN 'overtime' THEN '申请人要求支付延长工作时间加班费'
             WHEN 'compensation' THEN '申请人要求支付解除劳动合同经济补偿'
             ELSE '其他劳动争议' END,
           p.claim_amount, CASE WHEN p.i % 10 = 0 THEN 2 + p.i % 29 ELSE 1 END,
           ${pick(SURNAMES)} || ${pick(GIVEN)},
           CASE WHEN p.i % 5 <> 0 THEN ${pick(['440104', '440304', '440402', '440507', '440604', '441302', '441900', '442000'])}
                  || to_char(date '1965-01-01' + floor(random() * 14000)::int, 'YYYYMMDD') || lpad(floor(random() * 1000)::text, 3, '0')
                  || (ARRAY['0','1','2','3','4','5','6','7','8','9','X'])[1 + floor(random() * 11)::int] END,
           '1' || ${pick(['3', '5', '8'])} || lpad(floor(random() * 1e9)::bigint::text, 9, '0'),
           ${pick(CITIES)} || '市' || ${pick(BRANDS)} || ${pick(TRADES)} || '有限公司',
           CASE WHEN p.i % 4 <> 0 THEN '9144' || upper(substr(md5(p.id::text), 1, 14)) END,
           CASE WHEN p.i % 3 = 0 THEN '020-' || lpad(floor(random() * 1e8)::bigint::text, 8, '0') END,
           p.mediator_id, p.received_at, p.deadline_at, p.ext_days, p.overdue, p.concluded_at,
           CASE p.status WHEN 'failed' THEN ${pick(FAILURE_REASONS)} WHEN 'withdrawn' THEN ${pick(WITHDRAWAL_REASONS)} END,
           p.created_by, e.version, p.received_at, e.updated_at
      FROM bench_plan p
      JOIN (SELECT case_id, count(*) FILTER (WHERE type <> 'note_added')::int AS version, max(at) AS updated_at FROM case_events GROUP BY case_id) e ON e.case_id = p.id
     ORDER BY p.i
    `,
  );
}

/** Sessions: the held ones, and for a case still in mediation the next one booked. */
async function insertSessions(db: Client, now: Date): Promise<void> {
  await db.query(
    `
    INSERT INTO case_sessions (id, case_id, scheduled_at, mode, location, status, notes, created_by, created_at, updated_at)
    SELECT ${derivedUuid(`p.id::text || ':s' || k`)}, p.id, ${sessionAt('k')},
           CASE WHEN k % 3 = 2 THEN 'video' WHEN p.i % 7 = 0 THEN 'phone' ELSE 'onsite' END,
           CASE WHEN NOT (k % 3 = 2 OR p.i % 7 = 0) THEN p.ws_code || '调解室' || (1 + p.i % 3) END,
           CASE WHEN k <= p.n_held THEN 'held' ELSE 'scheduled' END,
           CASE WHEN k <= p.n_held THEN '第' || k || '次调解，双方到场' END,
           p.mediator_id, ${sessionBookedAt('k')},
           CASE WHEN k <= p.n_held THEN ${sessionAt('k')} ELSE ${sessionBookedAt('k')} END
      FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.n_held + p.n_sched) k
     WHERE p.n_held + p.n_sched > 0
    `,
    [now.toISOString()],
  );
}

const dueDate = (k: string) => `((p.concluded_at AT TIME ZONE ${SH})::date + 7 + (${k} - 1) * 30)`;
const todayShanghai = `($1::timestamptz AT TIME ZONE ${SH})::date`;

/**
 * Agreements signed (and effective) when mediation concluded, paid in 1, 2, 3 or 6 installments
 * from a week later, monthly; 5% of payers default on the last one, which puts the agreement in
 * breach the day after it fell due.
 */
async function insertAgreements(db: Client, now: Date): Promise<void> {
  await db.query(
    `
    INSERT INTO agreements (id, case_id, terms, agreed_amount, signed_at, effective_at, in_breach, breached_at, created_by, created_at)
    SELECT ${derivedUuid(`p.id::text || ':a'`)}, p.id,
           '被申请人同意支付申请人' || p.agreed_amount || '元，分' || p.n_inst || '期支付',
           p.agreed_amount, p.concluded_at, p.concluded_at,
           p.defaulting AND ${dueDate('p.n_inst')} + 1 < ${todayShanghai},
           CASE WHEN p.defaulting AND ${dueDate('p.n_inst')} + 1 < ${todayShanghai} THEN (${dueDate('p.n_inst')} + 1)::timestamp AT TIME ZONE ${SH} + interval '9 hours' END,
           p.mediator_id, p.concluded_at
      FROM bench_plan p
     WHERE p.agreed_amount IS NOT NULL
    `,
    [now.toISOString()],
  );
  await db.query(
    `
    INSERT INTO installments (agreement_id, seq, due_date, amount, paid_at)
    SELECT ${derivedUuid(`p.id::text || ':a'`)}, k, ${dueDate('k')},
           CASE WHEN k < p.n_inst THEN trunc(p.agreed_amount / p.n_inst, 2) ELSE p.agreed_amount - trunc(p.agreed_amount / p.n_inst, 2) * (p.n_inst - 1) END,
           CASE WHEN ${dueDate('k')} >= ${todayShanghai} OR (p.defaulting AND k = p.n_inst) THEN NULL
                ELSE (${dueDate('k')} - k % 3)::timestamp AT TIME ZONE ${SH} + interval '10 hours' END
      FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.n_inst) k
     WHERE p.agreed_amount IS NOT NULL
    `,
    [now.toISOString()],
  );
}

async function insertConfirmations(db: Client): Promise<void> {
  await db.query(
    `
    INSERT INTO confirmations (id, case_id, workstation_id, status, applied_at, requested_by, ruled_at, ruling_number, reason, ruled_by, created_at)
    SELECT ${derivedUuid(`p.id::text || ':c'`)}, p.id, p.ws_id,
           CASE p.status WHEN 'confirmed' THEN 'confirmed' WHEN 'confirmation_rejected' THEN 'rejected' ELSE 'pending' END,
           p.applied_at, p.mediator_id, p.ruled_at,
           CASE WHEN p.ruled_at IS NOT NULL THEN '(' || extract(year FROM p.ruled_at AT TIME ZONE ${SH}) || ')' || p.court_code || '民特' || p.i || '号' END,
           CASE WHEN p.status = 'confirmation_rejected' THEN '调解协议内容违反法律强制性规定' END,
           CASE WHEN p.ruled_at IS NOT NULL THEN p.clerk_id END, p.applied_at
      FROM bench_plan p
     WHERE p.status IN ('confirmation_requested', 'confirmed', 'confirmation_rejected')
    `,
  );
}

/**
 * The timeline, with the app's event types and one event per change (so that a case's version is
 * its number of events), appended in time order across all cases, as the app would have written
 * it over five years.
 */
async function insertEvents(db: Client, now: Date): Promise<void> {
  const ev = (type: string, actor: string, at: string, before: string, after: string, from: string, where = 'true') =>
    `SELECT p.id AS case_id, ${type} AS type, ${actor} AS actor_id, ${at} AS at, ${before} AS before, ${after} AS after FROM ${from} WHERE ${where}`;
  const plan = 'bench_plan p';
  const status = (s: string) => `jsonb_build_object('status', ${s})`;
  const prevStatus = `CASE WHEN p.n_held > 0 THEN 'in_mediation' WHEN p.mediator_id IS NOT NULL THEN 'assigned' ELSE 'registered' END`;
  const sessionId = derivedUuid(`p.id::text || ':s' || k`);
  const parts = [
    ev(`'case_registered'`, 'p.created_by', 'p.received_at', 'NULL::jsonb',
      `jsonb_build_object('caseNumber', p.ws_code || '-' || p.yr || '-' || lpad(p.seq::text, 6, '0'), 'status', 'registered', 'source', p.source,
                          'disputeType', p.dispute_type, 'claimAmount', p.claim_amount::text, 'deadlineAt', p.base_deadline_at)`,
      plan),
    ev(`'mediator_assigned'`, 'p.staff_id', 'p.assigned_at', `jsonb_build_object('mediatorId', NULL, 'status', 'registered')`,
      `jsonb_build_object('mediatorId', p.mediator_id, 'status', 'assigned')`, plan, 'p.mediator_id IS NOT NULL'),
    ev(`'session_scheduled'`, 'p.mediator_id', sessionBookedAt('k'), 'NULL::jsonb',
      `jsonb_build_object('sessionId', ${sessionId}, 'scheduledAt', ${sessionAt('k')})`, `${plan} CROSS JOIN LATERAL generate_series(1, p.n_held + p.n_sched) k`),
    ev(`'session_held'`, 'p.mediator_id', sessionAt('k'),
      `jsonb_build_object('sessionStatus', 'scheduled', 'status', CASE WHEN k = 1 THEN 'assigned' ELSE 'in_mediation' END)`,
      `jsonb_build_object('sessionId', ${sessionId}, 'sessionStatus', 'held', 'status', 'in_mediation')`, `${plan} CROSS JOIN LATERAL generate_series(1, p.n_held) k`),
    ev(`'deadline_extended'`, 'p.mediator_id', 'p.ext_at', `jsonb_build_object('deadlineAt', p.base_deadline_at)`,
      `jsonb_build_object('deadlineAt', p.deadline_at, 'days', p.ext_days, 'reason', '双方同意延长调解期限')`, plan, 'p.ext_at IS NOT NULL'),
    ev(`CASE p.status WHEN 'failed' THEN 'case_failed' WHEN 'withdrawn' THEN 'case_withdrawn' ELSE 'agreement_recorded' END`,
      'coalesce(p.mediator_id, p.staff_id)', 'p.concluded_at', status(prevStatus),
      `jsonb_build_object('status', CASE WHEN p.status IN ('failed', 'withdrawn') THEN p.status ELSE 'agreement_reached' END)`, plan, 'p.concluded'),
    ev(`'confirmation_requested'`, 'p.mediator_id', 'p.applied_at', status(`'agreement_reached'`), status(`'confirmation_requested'`), plan, 'p.applied_at IS NOT NULL'),
    ev(`CASE p.status WHEN 'confirmed' THEN 'confirmation_confirmed' ELSE 'confirmation_rejected' END`, 'p.clerk_id', 'p.ruled_at',
      `jsonb_build_object('status', 'confirmation_requested', 'confirmation', 'pending')`,
      `jsonb_build_object('status', p.status, 'confirmation', CASE p.status WHEN 'confirmed' THEN 'confirmed' ELSE 'rejected' END)`, plan, 'p.ruled_at IS NOT NULL'),
    ev(`'flagged_overdue'`, 'NULL::uuid', 'p.deadline_at', `jsonb_build_object('overdue', false, 'deadlineAt', p.deadline_at)`,
      `jsonb_build_object('overdue', true, 'deadlineAt', p.deadline_at)`, plan, 'p.overdue'),
    ev(`'installment_paid'`, 'p.mediator_id', 'i.paid_at', `jsonb_build_object('seq', i.seq, 'paidAt', NULL)`,
      `jsonb_build_object('seq', i.seq, 'paidAt', i.paid_at, 'amount', i.amount::text)`,
      'installments i JOIN agreements a ON a.id = i.agreement_id JOIN bench_plan p ON p.id = a.case_id', 'i.paid_at IS NOT NULL'),
    ev(`'agreement_in_breach'`, 'NULL::uuid', 'a.breached_at', `jsonb_build_object('inBreach', false)`, `jsonb_build_object('inBreach', true)`,
      'agreements a JOIN bench_plan p ON p.id = a.case_id', 'a.in_breach'),
  ];
  await db.query(
    `INSERT INTO case_events (case_id, type, actor_id, at, before, after)
     SELECT case_id, type, actor_id, at, before, after FROM (${parts.join('\n UNION ALL ')}) e ORDER BY at`,
    [now.toISOString()],
  );
}

function parseArgs(argv: string[]): GenerateOptions {
  const opts: GenerateOptions = { cases: 1_000_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v)) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--cases') opts.cases = value();
    else if (a === '--years') opts.years = value();
    else if (a === '--workstations') opts.workstations = value();
    else if (a === '--mediators') opts.mediators = value();
    else if (a === '--seed') opts.seed = value();
    else if (a === '--reset') opts.reset = true;
    else throw new Error(`unknown argument ${a} (--cases N --years Y --workstations W --mediators M --seed S --reset)`);
  }
  return opts;
}

if (require.main === module) {
  const url = process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL;
  let opts: GenerateOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  console.log(`generating ${opts.cases} cases into ${new URL(url).pathname.slice(1)}`);
  generateBenchData(url, { ...opts, log: console.log })
    .then((r) => {
      console.log(JSON.stringify(r, null, 2));
    })
    .catch((e) => {
      console.error(`generation failed: ${(e as Error).message}`);
      process.exit(1);
    });
}
