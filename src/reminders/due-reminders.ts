import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { insertCaseEvent } from '../case-core/case-events';
import { Notification } from '../notifications/notification.entity';
import { NewNotification, NotificationsRepository } from '../notifications/notifications.repository';
import { loadFacts } from './reminder-facts';
import { RecipientCache } from './reminder-recipients';
import { CaseAtDelivery, Delivery, FamilyFacts, REMINDER_KINDS, ReminderEffect, ReminderFamily } from './reminder-registry';
import { ReminderHead, RemindersRepository } from './reminders.repository';
import { ReminderStatus } from './reminder.entity';

export type DeliveryOutcome =
  | { outcome: 'delivered'; notified: number }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'already-done'; status: string }
  | { outcome: 'missing' }
  | { outcome: 'too-early'; waitMs: number };

export const isActive = (status: ReminderStatus) => status === 'pending' || status === 'enqueued';

type AnyDelivery = Delivery<ReminderFamily>;

/** Each reminder's outcome, and the notifications this delivery wrote, claimed for the sender (to send after the commit). */
export interface DeliveredBatch {
  outcomes: Map<string, DeliveryOutcome>;
  claimed: Notification[];
}

/**
 * Delivers due reminders in the caller's transaction: locks their cases and rows, re-checks at
 * delivery time that each one's condition still holds (its kind's `skip` in the registry),
 * resolves the recipients then (the case's current mediator, the workstation's clerks or union
 * staff), carries out the kind's effect (overdue, breach), writes the notifications (unique per
 * reminder and user, claimed for the sender) and marks the rows delivered or skipped: a few
 * statements per batch, whatever its size.
 */
@Injectable()
export class DueReminders {
  constructor(
    private readonly repo: RemindersRepository,
    private readonly notifications: NotificationsRepository,
  ) {}

  async deliver(em: EntityManager, due: ReminderHead[], now: Date): Promise<DeliveredBatch> {
    // Cases first, then the reminders, each in id order: the order of a case change that cancels reminders.
    // Exclusive only when an effect will change a case: then no other delivery may hold it shared.
    const changesCases = due.some((d) => (REMINDER_KINDS[d.kind] as (typeof REMINDER_KINDS)[keyof typeof REMINDER_KINDS] | undefined)?.effect);
    const cases = new Map((await this.repo.lockCases(em, [...new Set(due.map((d) => d.caseId))], changesCases)).map((c) => [c.id, c]));
    // With the cases locked no case change can cancel these reminders: only another delivery of the
    // same rows (a duplicate job) can change their status. Without effects, the rows are read as
    // they are and claimed by the status updates below, which skip a row another delivery took
    // (one statement and no row lock less per batch); with effects they are locked first.
    const locked = new Map((await (changesCases ? this.repo.lockReminders(em, due.map((d) => d.id)) : this.repo.reminders(em, due.map((d) => d.id)))).map((r) => [r.id, r]));
    const caseOf = (r: { caseId: string }): CaseAtDelivery => cases.get(r.caseId)!;
    const active = [...locked.values()].filter((r) => isActive(r.status));
    const facts = await loadFacts(this.repo, em, active, caseOf);
    const recipients = new RecipientCache(this.repo, em);
    await recipients.preloadActive([...new Set([...cases.values()].flatMap((c) => (c.mediatorId ? [c.mediatorId] : [])))]);

    const outcomes = new Map<string, DeliveryOutcome>();
    const skipped: Array<{ id: string; reason: string }> = [];
    const delivered: string[] = [];
    const notes: NewNotification[] = [];
    for (const { id } of due) {
      const r = locked.get(id);
      if (!r) {
        outcomes.set(id, { outcome: 'missing' });
        continue;
      }
      if (!isActive(r.status)) {
        outcomes.set(id, { outcome: 'already-done', status: r.status });
        continue;
      }
      const spec = REMINDER_KINDS[r.kind] as (typeof REMINDER_KINDS)[keyof typeof REMINDER_KINDS] | undefined;
      const d: AnyDelivery = { reminder: r, case: caseOf(r), facts: facts.get(id)!, now };
      const reason = !spec ? `unknown reminder kind ${String(r.kind)}` : spec.timing === 'warning' && now.getTime() > r.dueAt.getTime() ? 'deadline already passed' : spec.skip(d);
      if (!spec || reason !== null) {
        skipped.push({ id, reason: reason ?? '' });
        outcomes.set(id, { outcome: 'skipped', reason: reason ?? '' });
        continue;
      }
      const message = spec.message(d);
      if (spec.effect) await this.effects[spec.effect](em, d);
      const users = await recipients.resolve(spec.recipients, d.case, d.facts.workstationId);
      notes.push(...users.map((userId) => ({ userId, reminderId: r.id, kind: r.kind, caseId: d.case.id, caseNumber: d.case.caseNumber, message, dueAt: r.dueAt })));
      delivered.push(r.id);
    }

    // Each outcome holds only for the rows whose update this delivery made (all of them when the rows were locked).
    const skippedHere = await this.repo.markSkipped(em, skipped, now);
    const deliveredHere = await this.repo.markDelivered(em, delivered, now);
    for (const { id } of skipped) if (!skippedHere.has(id)) outcomes.set(id, { outcome: 'already-done', status: 'delivered' });
    for (const id of delivered) if (!deliveredHere.has(id)) outcomes.set(id, { outcome: 'already-done', status: 'delivered' });
    const mine = delivered.filter((id) => deliveredHere.has(id));
    const claimed = mine.length ? await this.insertNotifications(em, notes.filter((n) => deliveredHere.has(n.reminderId!)), mine, outcomes, now) : [];
    return { outcomes, claimed };
  }

  /**
   * Writes the notifications of delivered reminders, claimed for the sender; counted from what was
   * inserted (a notification already there, unique per reminder and user, is not counted twice).
   */
  private async insertNotifications(em: EntityManager, notes: NewNotification[], delivered: string[], outcomes: Map<string, DeliveryOutcome>, now: Date): Promise<Notification[]> {
    const inserted = await this.notifications.insertClaimed(em, notes, now);
    const notified = new Map<string, number>();
    for (const n of inserted) notified.set(n.reminderId!, (notified.get(n.reminderId!) ?? 0) + 1);
    for (const id of delivered) outcomes.set(id, { outcome: 'delivered', notified: notified.get(id) ?? 0 });
    return inserted;
  }

  /** What each effect changes; later reminders of the batch see the case or agreement as it now is. */
  private readonly effects: Record<ReminderEffect, (em: EntityManager, d: AnyDelivery) => Promise<void>> = {
    // At expiry of the mediation period an open case is flagged overdue: a change of the case, so version and timeline too.
    flag_overdue: async (em, { case: c, now }) => {
      await this.repo.flagCaseOverdue(em, c.id, now);
      await insertCaseEvent(em, c.id, 'flagged_overdue', null, now, { overdue: false, deadlineAt: c.deadlineAt }, { overdue: true, deadlineAt: c.deadlineAt });
      c.overdue = true;
    },
    // An installment unpaid a day after its due date puts the agreement in breach (the first breach date stays).
    flag_breach: async (em, { case: c, facts, now }) => {
      const i = (facts as Partial<FamilyFacts['installment']>).installment;
      if (!i) throw new Error('flag_breach: not an installment reminder');
      await this.repo.flagAgreementInBreach(em, i.agreementId, c.id, now);
      await insertCaseEvent(em, c.id, 'agreement_in_breach', null, now, { inBreach: i.agreement.inBreach }, { inBreach: true, installment: i.seq, dueDate: i.dueDate, amount: i.amount });
      i.agreement.inBreach = true;
    },
  };
}
