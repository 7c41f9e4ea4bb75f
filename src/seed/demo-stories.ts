import { AuthUser } from '../accounts-core/auth-user';
import { DisputeType } from '../case-core/case-lifecycle';
import { AgreementsService } from '../agreements/agreements.service';
import { CaseCourtService } from '../cases/case-court.service';
import { CaseCorrectionsService } from '../cases/case-corrections.service';
import { CaseIntakeService } from '../cases/case-intake.service';
import { CaseTransitionsService } from '../cases/case-transitions.service';
import { ConfirmationsRepository } from '../case-core/confirmations.repository';
import { addDays, shanghaiDate } from '../common/business-time';
import { ConfirmationsService } from '../confirmations/confirmations.service';
import { ConsultationsService } from '../consultations/consultations.service';
import { SessionsService } from '../sessions/sessions.service';
import { companyName, creditCode, idNumber, personName, phone, Rng, summaryFor } from './demo-data';

/** The stories of the demo data: what happens to each case and consultation, and when (replayed by seed-demo.ts). */
const DAY = 86400_000;
const HOUR = 3600_000;

/** The services the stories act through, as the people of the workstations would. */
export interface DemoServices {
  intake: CaseIntakeService;
  transitions: CaseTransitionsService;
  corrections: CaseCorrectionsService;
  court: CaseCourtService;
  sessions: SessionsService;
  agreements: AgreementsService;
  confirmations: ConfirmationsService;
  confirmationRows: ConfirmationsRepository;
  consultations: ConsultationsService;
}

/** A demo workstation and its people. */
export interface DemoTeam {
  id: string;
  region: string;
  court: string;
  staff: AuthUser;
  clerk: AuthUser;
  mediators: AuthUser[];
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

export type Story = Array<[number, () => Promise<void>]>;

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

/** One case's story: intake, then each step its planned outcome needs, at its moment; steps still in the future are left out. */
export function caseStory(r: Rng, teams: DemoTeam[], s: DemoServices, start: number, now: number): Story {
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
    [receivedAt, async () => void (ctx.id = (await s.intake.create(team.staff, body)).id)],
  ];
  const needsMediator = outcome !== 'registered' && outcome !== 'voided' && !(outcome === 'withdrawn' && r.next() < 0.2);
  if (needsMediator) plan.push([assignAt, async () => void (await s.transitions.assign(team.staff, ctx.id!, { mediatorId: mediator.id }))]);
  const needsSession = !['registered', 'assigned'].includes(outcome) && needsMediator;
  if (needsSession) {
    plan.push([Math.max(assignAt + HOUR, sessionAt - 2 * DAY), async () => void (ctx.sessionId = (await s.sessions.schedule(mediator, ctx.id!, { scheduledAt: new Date(sessionAt).toISOString(), mode: r.pick(['onsite', 'onsite', 'video', 'phone'] as const) })).id)]);
    plan.push([sessionAt + HOUR, async () => void (await s.sessions.update(mediator, ctx.sessionId!, { status: 'held', notes: '双方到场陈述，调解员释法明理' }))]);
  }
  if (['agreement_reached', 'confirmation_requested', 'confirmation_accepted', 'confirmed', 'confirmation_rejected', 'court_concluded'].includes(outcome)) {
    const firstDue = addDays(shanghaiDate(new Date(agreementAt)), 30);
    const split = r.next() < 0.3;
    const half = `${Math.floor(Number(agreedAmount) / 2)}.00`;
    const rest = `${Number(agreedAmount) - Math.floor(Number(agreedAmount) / 2)}.00`;
    plan.push([
      agreementAt,
      async () =>
        void (await s.agreements.record(mediator, ctx.id!, {
          terms: `被申请人于${firstDue}前向申请人支付人民币${agreedAmount}元，双方再无其他争议。`,
          agreedAmount,
          signedAt: new Date(agreementAt).toISOString(),
          installments: split ? [{ dueDate: firstDue, amount: half }, { dueDate: addDays(firstDue, 30), amount: rest }] : [],
        })),
    ]);
  }
  if (waives) plan.push([requestAt, async () => void (await s.confirmations.waive(mediator, ctx.id!, { reason: '双方当事人表示自愿履行，不申请司法确认' }))]);
  if (outcome === 'court_concluded') {
    const document = r.next() < 0.85;
    plan.push([
      courtOutcomeAt,
      async () =>
        void (await s.court.recordCourtOutcome(team.clerk, ctx.id!, {
          outcome: document ? 'mediation_document' : 'suit_withdrawn',
          documentNumber: document ? body.courtCaseNumber : undefined,
          date: shanghaiDate(new Date(courtOutcomeAt)),
        })),
    ]);
  }
  if (['confirmation_requested', 'confirmation_accepted', 'confirmed', 'confirmation_rejected'].includes(outcome)) {
    plan.push([requestAt, async () => void (await s.confirmations.request(mediator, ctx.id!, { appliedAt: new Date(requestAt).toISOString(), court: team.court }))]);
  }
  if (['confirmation_accepted', 'confirmed', 'confirmation_rejected'].includes(outcome)) {
    plan.push([
      acceptAt,
      async () => {
        const confirmationId = await s.confirmationRows.currentIdOfCase(ctx.id!);
        await s.confirmations.decideAcceptance(team.clerk, confirmationId!, { decision: 'accepted', acceptanceNumber: `(${new Date(acceptAt).getUTCFullYear()})鄂01${r.int(2, 7)}民特调确${r.int(10, 2999)}号` });
      },
    ]);
  }
  if (outcome === 'confirmed' || outcome === 'confirmation_rejected') {
    plan.push([
      rulingAt,
      async () => {
        const confirmationId = await s.confirmationRows.currentIdOfCase(ctx.id!);
        await s.confirmations.rule(team.clerk, confirmationId!, {
          decision: outcome === 'confirmed' ? 'confirmed' : 'rejected',
          rulingNumber: `(${new Date(rulingAt).getUTCFullYear()})鄂01${r.int(2, 7)}民特${r.int(10, 2999)}号`,
          reason: outcome === 'confirmation_rejected' ? '调解协议内容违反法律强制性规定' : undefined,
        });
      },
    ]);
  }
  if (failsAfterRejection) plan.push([rulingAt + r.int(2, 10) * DAY, async () => void (await s.transitions.fail(mediator, ctx.id!, { reason: '司法确认被驳回后双方未能重新达成协议' }))]);
  if (outcome === 'voided') plan.push([receivedAt + r.int(1, 20) * HOUR, async () => void (await s.corrections.void(team.staff, ctx.id!, { reason: '重复登记' }))]);
  if (outcome === 'failed' || outcome === 'withdrawn') {
    const endAt = (needsSession ? sessionAt : assignAt) + r.int(1, 10) * DAY;
    const actor = needsMediator ? mediator : team.staff;
    const reason = outcome === 'failed' ? r.pick(['用人单位拒绝调解', '双方分歧较大，调解不成', '被申请人无法联系']) : r.pick(['申请人撤回调解申请', '双方已自行和解']);
    plan.push([endAt, async () => void (await (outcome === 'failed' ? s.transitions.fail(actor, ctx.id!, { reason }) : s.transitions.withdraw(actor, ctx.id!, { reason })))]);
  }
  // Steps that would happen in the future have not happened yet.
  return plan.filter(([at]) => at < now);
}

/** A window, hotline or visit consultation: most answered on the spot, a few converted into cases. */
export function consultationStory(r: Rng, teams: DemoTeam[], s: DemoServices, start: number, now: number): Story {
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
  const story: Story = [[at, async () => void (ctx.id = (await s.consultations.create(team.staff, consultation)).id)]];
  if (outcome === 'converted') {
    story.push([at + r.int(1, 4) * HOUR, async () => void (await s.consultations.convert(team.staff, ctx.id!, { disputeType, claimAmount: `${r.int(3, 200) * 500}.00` }))]);
  }
  return story.filter(([when]) => when < now);
}
