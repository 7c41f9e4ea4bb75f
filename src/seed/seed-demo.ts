import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { AgreementsService } from '../agreements/agreements.service';
import { AppModule } from '../app.module';
import { AuthUser } from '../auth/auth-user';
import { PasswordHasher } from '../auth/password-hasher';
import { Role } from '../auth/role.enum';
import { DisputeType } from '../case-core/case-lifecycle';
import { CasesService } from '../cases/cases.service';
import { addDays, shanghaiDate } from '../common/business-time';
import { Clock } from '../common/clock';
import { ConfirmationsService } from '../confirmations/confirmations.service';
import { validateEnv } from '../config/env.validation';
import { migrate } from '../database/migrate';
import { ConsultationsService } from '../consultations/consultations.service';
import { SessionsService } from '../sessions/sessions.service';
import { companyName, creditCode, DEMO_WORKSTATIONS, idNumber, personName, phone, rng, Rng, summaryFor } from './demo-data';

/**
 * `npm run seed:demo`: a realistic demo data set, made through the real services so that every
 * case has its timeline, reminders and numbers as if it had been worked day by day. A replay
 * clock walks through two years; every action runs at its own moment, in time order.
 */
export const DEMO_PASSWORD = 'tiaojie-demo-2026';
const DAY = 86400_000;
const HOUR = 3600_000;

/** Each replayed action runs in its own async context carrying its moment, so several cases can replay at once. */
class ReplayClock extends Clock {
  private readonly moment = new AsyncLocalStorage<number>();
  now(): Date {
    return new Date(this.moment.getStore() ?? Date.now());
  }
  runAt<T>(at: number, fn: () => Promise<T>): Promise<T> {
    return this.moment.run(at, fn);
  }
}

type Outcome =
  | 'registered'
  | 'assigned'
  | 'in_mediation'
  | 'agreement_reached'
  | 'confirmation_requested'
  | 'confirmation_accepted'
  | 'confirmed'
  | 'confirmation_rejected'
  | 'court_concluded'
  | 'failed'
  | 'withdrawn'
  | 'voided';

type Story = Array<[number, () => Promise<void>]>;
/** Cases replayed at once (each case's own steps stay in order). */
const LANES = 6;

const DISPUTES: Array<[DisputeType, number]> = [
  ['wage_arrears', 0.38],
  ['dismissal', 0.16],
  ['social_insurance', 0.12],
  ['work_injury', 0.08],
  ['overtime', 0.1],
  ['compensation', 0.11],
  ['other', 0.05],
];
const SOURCES: Array<[string, number]> = [
  ['court_entrusted', 0.35],
  ['court_assigned', 0.25],
  ['walk_in', 0.22],
  ['hotline', 0.1],
  ['arbitration_referral', 0.08],
];

function weighted<T>(r: Rng, table: Array<[T, number]>): T {
  let x = r.next();
  for (const [value, w] of table) {
    if ((x -= w) < 0) return value;
  }
  return table[table.length - 1][0];
}

export async function seedDemo(options: { cases?: number; log?: (s: string) => void } = {}): Promise<void> {
  const log = options.log ?? console.log;
  const total = options.cases ?? Number(process.env.SEED_CASES ?? 2000);
  const config = validateEnv(process.env);
  await migrate(config.DATABASE_URL, 'run', log);

  const clock = new ReplayClock();
  // Demo data is re-creatable: skip the fsync of each of its thousands of small commits.
  const fastUrl = new URL(config.DATABASE_URL);
  fastUrl.searchParams.set('options', '-c synchronous_commit=off');
  const env = { DATABASE_URL: fastUrl.toString(), LOG_LEVEL: 'warn' };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ api: false, workers: false, clock, env }), { logger: ['error', 'warn'] });
  try {
    const db = app.get(DataSource);
    const existing = await db.query(`SELECT count(*)::int AS n FROM workstations WHERE code = $1`, [DEMO_WORKSTATIONS[0].code]);
    if (existing[0].n > 0) {
      log('demo data already present (workstation WH-JA exists): nothing to do');
      return;
    }
    const cases = app.get(CasesService);
    const sessions = app.get(SessionsService);
    const agreements = app.get(AgreementsService);
    const confirmations = app.get(ConfirmationsService);
    const consultations = app.get(ConsultationsService);
    const hash = await app.get(PasswordHasher).hash(DEMO_PASSWORD);
    const r = rng(20261124);

    const addUser = async (username: string, displayName: string, role: Role, workstationId: string | null): Promise<AuthUser> => {
      const [row] = await db.query(
        `INSERT INTO users (username, password_hash, display_name, role, workstation_id, phone) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [username, hash, displayName, role, workstationId, phone(r)],
      );
      return { id: row.id, username, role, workstationId };
    };

    // No admin here: the first admin comes from ADMIN_USERNAME / ADMIN_PASSWORD when the app starts.
    await addUser('city-union', '市总工会 法律部', Role.UnionStaff, null);
    const teams = [];
    for (const ws of DEMO_WORKSTATIONS) {
      const [row] = await db.query(`INSERT INTO workstations (code, name, court, union_name, region) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [ws.code, ws.name, ws.court, ws.union, ws.region]);
      const suffix = ws.code.toLowerCase().replace('wh-', '');
      const staff = await addUser(`staff-${suffix}`, `${personName(r)}（工会）`, Role.UnionStaff, row.id);
      const clerk = await addUser(`clerk-${suffix}`, `${personName(r)}（书记员）`, Role.CourtClerk, row.id);
      const mediators = [];
      for (let i = 1; i <= 6; i++) mediators.push(await addUser(`mediator-${suffix}-${i}`, `${personName(r)}（调解员）`, Role.Mediator, row.id));
      teams.push({ id: row.id, region: ws.region, court: ws.court, staff, clerk, mediators });
    }

    // Plan every case's story, then replay all steps in time order.
    const now = Date.now();
    const start = now - 730 * DAY;
    const stories: Story[] = [];
    for (let i = 0; i < total; i++) {
      const team = r.pick(teams);
      const receivedAt = start + Math.floor(r.next() * (now - start - HOUR));
      const age = (now - receivedAt) / DAY;
      const disputeType = weighted(r, DISPUTES);
      const source = weighted(r, SOURCES);
      const mediator = r.pick(team.mediators);
      const claim = `${r.int(3, 400) * 500}.00`;
      // Recent cases are still open; older ones have ended (about 2/3 with an agreement).
      let outcome: Outcome;
      const x = r.next();
      if (age < 3) outcome = x < 0.5 ? 'registered' : 'assigned';
      else if (age < 20 && x < 0.45) outcome = x < 0.15 ? 'assigned' : 'in_mediation';
      else if (x < 0.64) {
        // An entrusted case (委托, already filed) is closed by the court's 调解书 or a withdrawal; the others may go to 司法确认.
        if (source === 'court_entrusted') outcome = age < 30 && r.next() < 0.3 ? 'agreement_reached' : 'court_concluded';
        else if (age < 40 && r.next() < 0.3) outcome = r.pick(['agreement_reached', 'confirmation_requested', 'confirmation_accepted'] as const);
        else outcome = r.next() < 0.04 ? 'confirmation_rejected' : 'confirmed';
      } else if (x < 0.92) outcome = 'failed';
      else if (x < 0.995) outcome = 'withdrawn';
      else outcome = 'voided';
      const waives = outcome === 'agreement_reached' && source !== 'court_entrusted' && r.next() < 0.3;
      const failsAfterRejection = outcome === 'confirmation_rejected' && r.next() < 0.5;

      const ctx: { id?: string; sessionId?: string; confirmationId?: string } = {};
      const assignAt = receivedAt + r.int(1, 40) * HOUR;
      const sessionAt = assignAt + r.int(1, 5) * DAY;
      const agreementAt = sessionAt + r.int(1, 6) * DAY + r.int(1, 8) * HOUR;
      const requestAt = agreementAt + r.int(1, 12) * DAY;
      const acceptAt = requestAt + r.int(1, 2) * DAY + r.int(1, 6) * HOUR;
      const rulingAt = acceptAt + r.int(2, 13) * DAY;
      const courtOutcomeAt = agreementAt + r.int(3, 20) * DAY;
      const employerApplied = r.next() < 0.04;
      const collective = !employerApplied && r.next() < 0.1;
      const body = {
        workstationId: team.id,
        source: source as never,
        disputeType,
        summary: summaryFor(r, disputeType),
        claimAmount: claim,
        courtCaseNumber: source.startsWith('court') ? `(${new Date(receivedAt).getUTCFullYear()})鄂01${r.int(2, 7)}民初${r.int(100, 9999)}号` : undefined,
        // Now and then the company applied (as in the Huangshi case), with its agent.
        applicant: employerApplied
          ? { kind: 'employer' as const, name: companyName(r, team.region), creditCode: creditCode(r), phone: phone(r), address: `${team.region}某某路${r.int(1, 300)}号`, agent: { name: personName(r), phone: phone(r), relation: '委托代理人' } }
          : { name: personName(r), idNumber: idNumber(r), phone: phone(r), address: `${team.region}某某小区${r.int(1, 30)}栋` },
        respondent: employerApplied
          ? { name: personName(r), idNumber: idNumber(r), phone: phone(r), address: `${team.region}某某小区${r.int(1, 30)}栋` }
          : { name: companyName(r, team.region), creditCode: creditCode(r), phone: phone(r), address: `${team.region}某某路${r.int(1, 300)}号` },
        ...(collective ? { workerCount: r.int(3, 40), representatives: [{ name: personName(r), phone: phone(r) }, { name: personName(r), phone: phone(r) }] } : { workerCount: r.next() < 0.5 ? 1 : 2 }),
        receivedAt: new Date(receivedAt).toISOString(),
      };
      const agreedAmount = `${Math.max(1, Math.round((Number(claim) * r.int(50, 100)) / 100))}.00`;
      const plan: Array<[number, () => Promise<void>]> = [
        [receivedAt, async () => void (ctx.id = (await cases.create(team.staff, body)).id)],
      ];
      const needsMediator = outcome !== 'registered' && outcome !== 'voided' && !(outcome === 'withdrawn' && r.next() < 0.2);
      if (needsMediator) plan.push([assignAt, async () => void (await cases.assign(team.staff, ctx.id!, { mediatorId: mediator.id }))]);
      const needsSession = !['registered', 'assigned'].includes(outcome) && needsMediator;
      if (needsSession) {
        plan.push([Math.max(assignAt + HOUR, sessionAt - 2 * DAY), async () => void (ctx.sessionId = (await sessions.schedule(mediator, ctx.id!, { scheduledAt: new Date(sessionAt).toISOString(), mode: r.pick(['onsite', 'onsite', 'video', 'phone'] as const) })).id)]);
        plan.push([sessionAt + HOUR, async () => void (await sessions.update(mediator, ctx.sessionId!, { status: 'held', notes: '双方到场陈述，调解员释法明理' }))]);
      }
      if (['agreement_reached', 'confirmation_requested', 'confirmation_accepted', 'confirmed', 'confirmation_rejected', 'court_concluded'].includes(outcome)) {
        const firstDue = addDays(shanghaiDate(new Date(agreementAt)), 30);
        const split = r.next() < 0.3;
        const half = `${Math.floor(Number(agreedAmount) / 2)}.00`;
        const rest = `${Number(agreedAmount) - Math.floor(Number(agreedAmount) / 2)}.00`;
        plan.push([
          agreementAt,
          async () =>
            void (await agreements.record(mediator, ctx.id!, {
              terms: `被申请人于${firstDue}前向申请人支付人民币${agreedAmount}元，双方再无其他争议。`,
              agreedAmount,
              signedAt: new Date(agreementAt).toISOString(),
              installments: split ? [{ dueDate: firstDue, amount: half }, { dueDate: addDays(firstDue, 30), amount: rest }] : [],
            })),
        ]);
      }
      if (waives) plan.push([requestAt, async () => void (await confirmations.waive(mediator, ctx.id!, { reason: '双方当事人表示自愿履行，不申请司法确认' }))]);
      if (outcome === 'court_concluded') {
        const document = r.next() < 0.85;
        plan.push([
          courtOutcomeAt,
          async () =>
            void (await cases.recordCourtOutcome(team.clerk, ctx.id!, {
              outcome: document ? 'mediation_document' : 'suit_withdrawn',
              documentNumber: document ? body.courtCaseNumber : undefined,
              date: shanghaiDate(new Date(courtOutcomeAt)),
            })),
        ]);
      }
      if (['confirmation_requested', 'confirmation_accepted', 'confirmed', 'confirmation_rejected'].includes(outcome)) {
        plan.push([requestAt, async () => void (await confirmations.request(mediator, ctx.id!, { appliedAt: new Date(requestAt).toISOString(), court: team.court }))]);
      }
      if (['confirmation_accepted', 'confirmed', 'confirmation_rejected'].includes(outcome)) {
        plan.push([
          acceptAt,
          async () => {
            const [conf] = await db.query(`SELECT id FROM confirmations WHERE case_id = $1 AND superseded_at IS NULL`, [ctx.id]);
            await confirmations.decideAcceptance(team.clerk, conf.id, { decision: 'accepted', acceptanceNumber: `(${new Date(acceptAt).getUTCFullYear()})鄂01${r.int(2, 7)}民特调确${r.int(10, 2999)}号` });
          },
        ]);
      }
      if (outcome === 'confirmed' || outcome === 'confirmation_rejected') {
        plan.push([
          rulingAt,
          async () => {
            const [conf] = await db.query(`SELECT id FROM confirmations WHERE case_id = $1 AND superseded_at IS NULL`, [ctx.id]);
            await confirmations.rule(team.clerk, conf.id, {
              decision: outcome === 'confirmed' ? 'confirmed' : 'rejected',
              rulingNumber: `(${new Date(rulingAt).getUTCFullYear()})鄂01${r.int(2, 7)}民特${r.int(10, 2999)}号`,
              reason: outcome === 'confirmation_rejected' ? '调解协议内容违反法律强制性规定' : undefined,
            });
          },
        ]);
      }
      if (failsAfterRejection) plan.push([rulingAt + r.int(2, 10) * DAY, async () => void (await cases.fail(mediator, ctx.id!, { reason: '司法确认被驳回后双方未能重新达成协议' }))]);
      if (outcome === 'voided') plan.push([receivedAt + r.int(1, 20) * HOUR, async () => void (await cases.void(team.staff, ctx.id!, { reason: '重复登记' }))]);
      if (outcome === 'failed' || outcome === 'withdrawn') {
        const endAt = (needsSession ? sessionAt : assignAt) + r.int(1, 10) * DAY;
        const actor = needsMediator ? mediator : team.staff;
        const reason = outcome === 'failed' ? r.pick(['用人单位拒绝调解', '双方分歧较大，调解不成', '被申请人无法联系']) : r.pick(['申请人撤回调解申请', '双方已自行和解']);
        plan.push([endAt, async () => void (await (outcome === 'failed' ? cases.fail(actor, ctx.id!, { reason }) : cases.withdraw(actor, ctx.id!, { reason })))]);
      }
      // Steps that would happen in the future have not happened yet.
      stories.push(plan.filter(([at]) => at < now));
    }
    // Window, hotline and visit consultations: most answered on the spot, a few converted into cases.
    for (let i = 0; i < Math.round(total / 8); i++) {
      const team = r.pick(teams);
      const at = start + Math.floor(r.next() * (now - start - HOUR));
      const disputeType = weighted(r, DISPUTES);
      const outcome = r.pick(['advice_only', 'advice_only', 'advice_only', 'referred_to_arbitration', 'referred_to_legal_aid', 'converted'] as const);
      const ctx: { id?: string } = {};
      const consultation = {
        workstationId: team.id,
        consultedAt: new Date(at).toISOString(),
        channel: r.pick(['window', 'hotline', 'visit'] as const),
        name: personName(r),
        phone: phone(r),
        employer: companyName(r, team.region),
        question: `${summaryFor(r, disputeType)}，咨询如何处理`,
        advice: r.pick(['告知可向工作室申请调解', '告知可向劳动争议仲裁委员会申请仲裁', '告知可申请法律援助']),
        outcome: outcome === 'converted' ? ('advice_only' as const) : outcome,
      };
      const story: Story = [[at, async () => void (ctx.id = (await consultations.create(team.staff, consultation)).id)]];
      if (outcome === 'converted') {
        story.push([at + r.int(1, 4) * HOUR, async () => void (await consultations.convert(team.staff, ctx.id!, { disputeType, claimAmount: `${r.int(3, 200) * 500}.00` }))]);
      }
      stories.push(story.filter(([when]) => when < now));
    }

    // Oldest cases first, so that case numbers mostly follow the order of receipt.
    stories.sort((a, b) => a[0][0] - b[0][0]);
    const actions = stories.reduce((n, s) => n + s.length, 0);
    log(`replaying ${actions} actions for ${total} cases ...`);
    let next = 0;
    let done = 0;
    const lane = async () => {
      while (next < stories.length) {
        const story = stories[next++];
        for (const [at, run] of story) await clock.runAt(at, run);
        if (++done % 500 === 0) log(`  ${done}/${total} cases`);
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));

    // The past is past: reminders that would have fired before today are not sent now.
    await db.query(`UPDATE reminders SET status = 'cancelled', cancelled_at = now() WHERE status = 'pending' AND fire_at < now()`);
    // Open cases whose deadline has passed are overdue, as the overdue job would have flagged them.
    const overdue = await db.query(
      `WITH flagged AS (
         UPDATE cases SET overdue = true, version = version + 1, updated_at = now()
          WHERE status IN ('registered', 'assigned', 'in_mediation') AND deadline_at < now() AND NOT overdue RETURNING id
       ) INSERT INTO case_events (case_id, type, actor_id, at, before, after)
         SELECT id, 'flagged_overdue', NULL, now(), '{"overdue": false}', '{"overdue": true}' FROM flagged RETURNING case_id`,
    );
    const summary = await db.query(`SELECT status, count(*)::int AS n FROM cases GROUP BY status ORDER BY status`);
    const [{ n: consulted }] = await db.query(`SELECT count(*)::int AS n FROM consultations`);
    log(`demo data: ${total} cases (${summary.map((s: { status: string; n: number }) => `${s.status} ${s.n}`).join(', ')}), ${overdue.length} overdue, ${consulted} consultations`);
    log(`accounts (password "${DEMO_PASSWORD}"): city-union, staff-ja, clerk-ja, mediator-ja-1 ... (ja, jh, qk, hy, wc)`);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  seedDemo().catch((e) => {
    console.error(`seed failed: ${(e as Error).stack}`);
    process.exit(1);
  });
}
