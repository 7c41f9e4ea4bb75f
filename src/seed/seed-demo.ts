import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { AgreementsService } from '../agreements/agreements.service';
import { AppModule } from '../app.module';
import { AuthUser } from '../accounts-core/auth-user';
import { PasswordHasher } from '../accounts-core/password-hasher';
import { Role } from '../accounts-core/role.enum';
import { CaseCourtService } from '../cases/case-court.service';
import { CaseCorrectionsService } from '../cases/case-corrections.service';
import { CaseIntakeService } from '../cases/case-intake.service';
import { CaseTransitionsService } from '../cases/case-transitions.service';
import { ConfirmationsRepository } from '../case-core/confirmations.repository';
import { Clock } from '../common/clock';
import { ConfirmationsService } from '../confirmations/confirmations.service';
import { validateEnv } from '../config/env.validation';
import { migrate } from '../database/migrate';
import { ConsultationsService } from '../consultations/consultations.service';
import { SessionsService } from '../sessions/sessions.service';
import { DEMO_WORKSTATIONS, personName, phone, rng } from './demo-data';
import { DemoSeedRepository } from './demo-seed.repository';
import { caseStory, consultationStory, DemoServices, DemoTeam, Story } from './demo-stories';

/**
 * `npm run seed:demo`: a realistic demo data set, made through the real services so that every
 * case has its timeline, reminders and numbers as if it had been worked day by day. A replay
 * clock walks through two years; every action runs at its own moment, in time order.
 */
export const DEMO_PASSWORD = 'tiaojie-demo-2026';
const DAY = 86400_000;
/** Cases replayed at once (each case's own steps stay in order). */
const LANES = 6;

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
    const db = new DemoSeedRepository(app.get(DataSource));
    if (await db.workstationExists(DEMO_WORKSTATIONS[0].code)) {
      log('demo data already present (workstation WH-JA exists): nothing to do');
      return;
    }
    const services: DemoServices = {
      intake: app.get(CaseIntakeService),
      transitions: app.get(CaseTransitionsService),
      corrections: app.get(CaseCorrectionsService),
      court: app.get(CaseCourtService),
      sessions: app.get(SessionsService),
      agreements: app.get(AgreementsService),
      confirmations: app.get(ConfirmationsService),
      confirmationRows: app.get(ConfirmationsRepository),
      consultations: app.get(ConsultationsService),
    };
    const hash = await app.get(PasswordHasher).hash(DEMO_PASSWORD);
    const r = rng(20261124);

    const addUser = async (username: string, displayName: string, role: Role, workstationId: string | null): Promise<AuthUser> => {
      const id = await db.insertUser({ username, passwordHash: hash, displayName, role, workstationId, phone: phone(r) });
      return { id, username, role, workstationId };
    };

    // No admin here: the first admin comes from ADMIN_USERNAME / ADMIN_PASSWORD when the app starts.
    await addUser('city-union', '市总工会 法律部', Role.UnionStaff, null);
    const teams: DemoTeam[] = [];
    for (const ws of DEMO_WORKSTATIONS) {
      const row = { id: await db.insertWorkstation(ws) };
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
    for (let i = 0; i < total; i++) stories.push(caseStory(r, teams, services, start, now));
    // Window, hotline and visit consultations: most answered on the spot, a few converted into cases.
    for (let i = 0; i < Math.round(total / 8); i++) stories.push(consultationStory(r, teams, services, start, now));

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

    await db.cancelPastReminders();
    const overdue = await db.flagOverdue();
    const summary = await db.statusCounts();
    const consulted = await db.consultationCount();
    log(`demo data: ${total} cases (${summary.map((s) => `${s.status} ${s.n}`).join(', ')}), ${overdue} overdue, ${consulted} consultations`);
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
