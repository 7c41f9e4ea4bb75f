import { EntityManager } from 'typeorm';
import { CaseAtDelivery, FamilyFacts, REMINDER_KINDS, ReminderFamily, ReminderToDeliver } from './reminder-registry';
import { RemindersRepository } from './reminders.repository';

type Loader<F extends ReminderFamily> = (repo: RemindersRepository, em: EntityManager, reminders: ReminderToDeliver[], caseOf: (r: ReminderToDeliver) => CaseAtDelivery) => Promise<Array<FamilyFacts[F]>>;

const subjects = (reminders: ReminderToDeliver[]): string[] => [...new Set(reminders.flatMap((r) => (r.subjectId ? [r.subjectId] : [])))];
const installmentKey = (agreementId: string | null, seq: number | null) => `${agreementId}:${seq}`;

/**
 * What delivery looks up for each family, one statement per family and batch (in the delivery's
 * transaction, after the cases' locks): the facts each kind's skip, recipients and message read.
 * Each loader returns the facts in the order of the reminders it is given.
 */
const LOADERS: { [F in ReminderFamily]: Loader<F> } = {
  mediation: async (_repo, _em, reminders, caseOf) => reminders.map((r) => ({ workstationId: caseOf(r).workstationId })),
  session: async (repo, em, reminders, caseOf) => {
    const sessions = await repo.sessions(em, subjects(reminders));
    return reminders.map((r) => ({ workstationId: caseOf(r).workstationId, session: r.subjectId ? sessions.get(r.subjectId) : undefined }));
  },
  confirmation_application: async (repo, em, reminders, caseOf) => {
    const requested = await repo.casesWithConfirmationRequested(em, [...new Set(reminders.map((r) => r.caseId))]);
    const effective = await repo.agreementsEffectiveAt(em, subjects(reminders));
    return reminders.map((r) => ({
      workstationId: caseOf(r).workstationId,
      requested: requested.has(r.caseId),
      agreementEffectiveAt: r.subjectId ? effective.get(r.subjectId) : undefined,
    }));
  },
  acceptance: (repo, em, reminders, caseOf) => confirmationFacts(repo, em, reminders, caseOf),
  ruling: (repo, em, reminders, caseOf) => confirmationFacts(repo, em, reminders, caseOf),
  installment: async (repo, em, reminders, caseOf) => {
    const keys = reminders.flatMap((r) => (r.subjectId && r.subjectSeq !== null ? [{ agreementId: r.subjectId, seq: r.subjectSeq }] : []));
    const installments = await repo.installments(em, keys);
    return reminders.map((r) => ({ workstationId: caseOf(r).workstationId, installment: installments.get(installmentKey(r.subjectId, r.subjectSeq)) }));
  },
};

async function confirmationFacts(
  repo: RemindersRepository,
  em: EntityManager,
  reminders: ReminderToDeliver[],
  caseOf: (r: ReminderToDeliver) => CaseAtDelivery,
): Promise<Array<FamilyFacts['acceptance' | 'ruling']>> {
  const confirmations = await repo.confirmations(em, subjects(reminders));
  return reminders.map((r) => {
    const confirmation = r.subjectId ? confirmations.get(r.subjectId) : undefined;
    return { workstationId: confirmation?.workstationId ?? caseOf(r).workstationId, confirmation };
  });
}

/** The facts of each reminder (of a kind in the registry), by reminder id. */
export async function loadFacts(
  repo: RemindersRepository,
  em: EntityManager,
  reminders: ReminderToDeliver[],
  caseOf: (r: ReminderToDeliver) => CaseAtDelivery,
): Promise<Map<string, FamilyFacts[ReminderFamily]>> {
  const byFamily = new Map<ReminderFamily, ReminderToDeliver[]>();
  for (const r of reminders) {
    const family = REMINDER_KINDS[r.kind]?.family;
    if (!family) continue;
    const list = byFamily.get(family);
    if (list) list.push(r);
    else byFamily.set(family, [r]);
  }
  const facts = new Map<string, FamilyFacts[ReminderFamily]>();
  for (const [family, members] of byFamily) {
    const loaded = await (LOADERS[family] as Loader<ReminderFamily>)(repo, em, members, caseOf);
    members.forEach((r, i) => facts.set(r.id, loaded[i]));
  }
  return facts;
}
