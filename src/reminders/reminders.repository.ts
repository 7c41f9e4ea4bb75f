import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../accounts-core/role.enum';
import { CaseStatus, DisputeType } from '../common/case-codes';
import { ReminderKind } from './reminder-kinds';
import { ReminderPlan } from './reminder-plans';
import { CaseAtDelivery, ConfirmationFacts, InstallmentFacts, ReminderToDeliver, SessionFacts } from './reminder-registry';
import { ReminderStatus } from './reminder.entity';
import type { TransactionQuery } from '../common/pg-reads';

/** Which active reminders a change replaces: some kinds of a case, optionally of one subject. */
export interface ReminderScope {
  kinds: ReminderKind[];
  subjectId?: string;
  subjectSeq?: number;
}

/** An outbox row on its way to the queue: its job (`jobId`, null until it has one) waits until `fireAt`. */
export interface OutboxEntry {
  id: string;
  fireAt: Date;
  jobId: string | null;
}

/** Reminders that go onto the queue as one job. */
export interface ReminderJobGroup {
  jobId: string;
  reminderIds: string[];
}

export type ReminderHead = Pick<ReminderToDeliver, 'id' | 'kind' | 'caseId' | 'fireAt'> & { status: ReminderStatus };
export type LockedReminder = ReminderToDeliver & { status: ReminderStatus };

interface ReminderRow {
  id: string;
  kind: ReminderKind;
  case_id: string;
  subject_id: string | null;
  subject_seq: number | null;
  fire_at: Date;
  due_at: Date;
  status: ReminderStatus;
}

interface CaseRow {
  id: string;
  case_number: string;
  workstation_id: string;
  status: CaseStatus;
  dispute_type: DisputeType;
  mediator_id: string | null;
  deadline_at: Date;
  overdue: boolean;
  confirmation_waived: boolean;
}

const ACTIVE = `status IN ('pending', 'enqueued')`;
/**
 * ACTIVE as a filter of rows found by id, in a form the planner cannot answer from the partial
 * indexes of active rows. With statistics that say the table is empty (after a purge, as the
 * bench's), `id = ANY($1) AND status IN (...)` was planned as a BitmapAnd with
 * reminders_job_active_idx: every active row of a burst (100,000) read for each batch of 500.
 */
const STILL_ACTIVE = `(${ACTIVE}) IS TRUE`;
const REMINDER_COLUMNS = 'id, kind, case_id, subject_id, subject_seq, fire_at, due_at, status';

const toReminder = (r: ReminderRow): LockedReminder => ({
  id: r.id,
  kind: r.kind,
  caseId: r.case_id,
  subjectId: r.subject_id,
  subjectSeq: r.subject_seq,
  fireAt: r.fire_at,
  dueAt: r.due_at,
  status: r.status,
});

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

type HeadRow = Pick<ReminderRow, 'id' | 'kind' | 'case_id' | 'status' | 'fire_at'>;
const HEAD_COLUMNS = 'id, kind, case_id, status, fire_at';
const toHead = (r: HeadRow): ReminderHead => ({ id: r.id, kind: r.kind, caseId: r.case_id, status: r.status, fireAt: r.fire_at });

/**
 * The SQL of the reminder outbox: written by the case changes (in their transaction), moved onto
 * the queue by the dispatcher, and delivered under the cases' row locks. Locks are always taken in
 * id order, cases before reminders, so that a case change and a delivery never deadlock.
 */
/**
 * The INSERT of reminder plans as `pending` outbox rows, for the case `caseId` (SQL: a parameter,
 * or a column of the FROM item `from`), the plans' five arrays (planParams) from `$first` on.
 */
export function plansInsert(caseId: string, first: number, from?: string): string {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO reminders (kind, case_id, subject_id, subject_seq, fire_at, due_at, status)
       SELECT k, ${caseId}, s, q, f, d, 'pending' FROM ${from ? `${from}, ` : ''}unnest(${p(0)}::varchar[], ${p(1)}::uuid[], ${p(2)}::int[], ${p(3)}::timestamptz[], ${p(4)}::timestamptz[]) AS t(k, s, q, f, d)`;
}

/** The parameters of plansInsert: the plans' kinds, subjects, subject sequence numbers, times to fire and due times. */
export function planParams(plans: ReminderPlan[]): unknown[] {
  return [plans.map((p) => p.kind), plans.map((p) => p.subjectId), plans.map((p) => p.subjectSeq), plans.map((p) => p.fireAt), plans.map((p) => p.dueAt)];
}

@Injectable()
export class RemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // Planning (the case change's transaction).

  /** The active reminders of a scope, locked. */
  async lockActive(em: EntityManager, caseId: string, scope: ReminderScope): Promise<LockedReminder[]> {
    const params: unknown[] = [caseId, scope.kinds];
    let where = `case_id = $1 AND kind = ANY($2::varchar[]) AND ${ACTIVE}`;
    if (scope.subjectId !== undefined) where += ` AND subject_id = $${params.push(scope.subjectId)}`;
    if (scope.subjectSeq !== undefined) where += ` AND subject_seq = $${params.push(scope.subjectSeq)}`;
    const rows: ReminderRow[] = await em.query(`SELECT ${REMINDER_COLUMNS} FROM reminders WHERE ${where} ORDER BY id FOR UPDATE`, params);
    return rows.map(toReminder);
  }

  async cancel(em: EntityManager, reminderIds: string[], now: Date): Promise<void> {
    if (!reminderIds.length) return;
    await em.query(`UPDATE reminders SET status = 'cancelled', cancelled_at = $2 WHERE id = ANY($1::uuid[])`, [reminderIds, now]);
  }

  /** Writes plans as `pending` outbox rows. */
  async insertPlans(em: TransactionQuery, caseId: string, plans: ReminderPlan[]): Promise<void> {
    if (!plans.length) return;
    await em.query(plansInsert('$1', 2), [caseId, ...planParams(plans)]);
  }

  /** Active users of a role at a workstation (null: city level), in id order. */
  async activeUsersOf(em: EntityManager, role: Role, workstationId: string | null): Promise<string[]> {
    const rows: Array<{ id: string }> =
      workstationId === null
        ? await em.query(`SELECT id FROM users WHERE role = $1 AND workstation_id IS NULL AND active ORDER BY id`, [role])
        : await em.query(`SELECT id FROM users WHERE role = $1 AND workstation_id = $2 AND active ORDER BY id`, [role, workstationId]);
    return ids(rows);
  }

  // The dispatcher.

  /** `pending` rows, oldest first. */
  async pendingBatch(limit: number): Promise<OutboxEntry[]> {
    const rows: Array<{ id: string; fire_at: Date }> = await this.dataSource.query(
      `SELECT id, fire_at FROM reminders WHERE status = 'pending' ORDER BY created_at, id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, fireAt: r.fire_at, jobId: null }));
  }

  /** The active reminders a group's job carries, in id order, as delivery first looks at them. */
  async activeHeadsOfJob(jobId: string): Promise<ReminderHead[]> {
    const rows: HeadRow[] = await this.dataSource.query(`SELECT ${HEAD_COLUMNS} FROM reminders WHERE job_id = $1 AND ${ACTIVE} ORDER BY id`, [jobId]);
    return rows.map(toHead);
  }

  /**
   * Marks rows enqueued, each with the id of the job that carries it. Locked in id order, like a
   * case change that cancels reminders; a row cancelled meanwhile stays cancelled. The rows are
   * found by id alone and updated by their physical address (ctid, fixed while they are locked):
   * whatever the planner's statistics say. With `status = 'pending'` in the update's condition, a
   * burst of 100,000 rows written after the last ANALYZE was planned through the pending index,
   * filtering every pending row for each batch of 1,000 (1.8 s a batch); and a join with the locked
   * rows, when the statistics said the table was empty (after a purge), as a nested loop over the
   * whole table for each row.
   */
  async markEnqueued(groups: ReminderJobGroup[], now: Date): Promise<void> {
    const reminderIds = groups.flatMap((g) => g.reminderIds);
    if (!reminderIds.length) return;
    await this.dataSource.query(
      `WITH locked AS MATERIALIZED (SELECT ctid AS tid, status FROM reminders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE)
       UPDATE reminders SET status = 'enqueued', enqueued_at = $3, job_id = ($2::uuid[])[array_position($1::uuid[], id)]
        WHERE ctid = ANY(ARRAY(SELECT tid FROM locked WHERE status = 'pending'))`,
      [reminderIds, groups.flatMap((g) => g.reminderIds.map(() => g.jobId)), now],
    );
  }

  /** `enqueued` rows in id order after `after`; with `firedBefore`, only those whose time is before it. */
  async enqueuedBatch(after: string, limit: number, firedBefore?: Date): Promise<OutboxEntry[]> {
    const columns = `id, fire_at, job_id`;
    const rows: Array<{ id: string; fire_at: Date; job_id: string | null }> = firedBefore
      ? await this.dataSource.query(`SELECT ${columns} FROM reminders WHERE status = 'enqueued' AND fire_at < $3 AND id > $1 ORDER BY id LIMIT $2`, [after, limit, firedBefore])
      : await this.dataSource.query(`SELECT ${columns} FROM reminders WHERE status = 'enqueued' AND id > $1 ORDER BY id LIMIT $2`, [after, limit]);
    return rows.map((r) => ({ id: r.id, fireAt: r.fire_at, jobId: r.job_id }));
  }

  // Delivery.

  /** What delivery looks at before it takes any lock. */
  async heads(reminderIds: string[]): Promise<ReminderHead[]> {
    const rows: HeadRow[] = await this.dataSource.query(`SELECT ${HEAD_COLUMNS} FROM reminders WHERE id = ANY($1::uuid[])`, [reminderIds]);
    return rows.map(toHead);
  }

  /**
   * The cases, locked in id order (first: the order of a case change that cancels reminders).
   * `exclusive` when the delivery changes some of them (an effect); otherwise a share lock, which
   * a case change waits for just the same, but two delivery batches over the same cases do not
   * wait for each other.
   */
  async lockCases(em: EntityManager, caseIds: string[], exclusive: boolean): Promise<CaseAtDelivery[]> {
    const rows: CaseRow[] = await em.query(
      `SELECT id, case_number, workstation_id, status, dispute_type, mediator_id, deadline_at, overdue, confirmation_waived_at IS NOT NULL AS confirmation_waived
         FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id ${exclusive ? 'FOR UPDATE' : 'FOR SHARE'}`,
      [caseIds],
    );
    return rows.map((c) => ({
      id: c.id,
      caseNumber: c.case_number,
      workstationId: c.workstation_id,
      status: c.status,
      disputeType: c.dispute_type,
      mediatorId: c.mediator_id,
      deadlineAt: c.deadline_at,
      overdue: c.overdue,
      confirmationWaived: c.confirmation_waived,
    }));
  }

  /** The reminders, locked in id order (after their cases). */
  async lockReminders(em: EntityManager, reminderIds: string[]): Promise<LockedReminder[]> {
    const rows: ReminderRow[] = await em.query(`SELECT ${REMINDER_COLUMNS} FROM reminders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [reminderIds]);
    return rows.map(toReminder);
  }

  /** The reminders as they are, unlocked (delivery claims them by their status update). */
  async reminders(em: EntityManager, reminderIds: string[]): Promise<LockedReminder[]> {
    const rows: ReminderRow[] = await em.query(`SELECT ${REMINDER_COLUMNS} FROM reminders WHERE id = ANY($1::uuid[])`, [reminderIds]);
    return rows.map(toReminder);
  }

  /** Which of these users are active. */
  async activeUserIds(em: EntityManager, userIds: string[]): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows: Array<{ id: string }> = await em.query(`SELECT id FROM users WHERE id = ANY($1::uuid[]) AND active`, [userIds]);
    return new Set(ids(rows));
  }

  async sessions(em: EntityManager, sessionIds: string[]): Promise<Map<string, SessionFacts>> {
    const rows: Array<{ id: string; status: string; scheduled_at: Date; mode: string; location: string | null }> = await em.query(
      `SELECT id, status, scheduled_at, mode, location FROM case_sessions WHERE id = ANY($1::uuid[])`,
      [sessionIds],
    );
    return new Map(rows.map((s) => [s.id, { status: s.status, scheduledAt: s.scheduled_at, mode: s.mode, location: s.location }]));
  }

  /** Of these cases, those with a judicial confirmation requested (and not superseded). */
  async casesWithConfirmationRequested(em: EntityManager, caseIds: string[]): Promise<Set<string>> {
    const rows: Array<{ case_id: string }> = await em.query(`SELECT DISTINCT case_id FROM confirmations WHERE case_id = ANY($1::uuid[]) AND superseded_at IS NULL`, [caseIds]);
    return new Set(rows.map((r) => r.case_id));
  }

  /** When each of these agreements (not superseded) took effect. */
  async agreementsEffectiveAt(em: EntityManager, agreementIds: string[]): Promise<Map<string, Date>> {
    const rows: Array<{ id: string; effective_at: Date }> = await em.query(`SELECT id, effective_at FROM agreements WHERE id = ANY($1::uuid[]) AND superseded_at IS NULL`, [agreementIds]);
    return new Map(rows.map((a) => [a.id, a.effective_at]));
  }

  async confirmations(em: EntityManager, confirmationIds: string[]): Promise<Map<string, ConfirmationFacts>> {
    const rows: Array<{ id: string; status: string; applied_at: Date; accepted_at: Date | null; ruling_due_at: Date | null; workstation_id: string; superseded_at: Date | null }> =
      await em.query(`SELECT id, status, applied_at, accepted_at, ruling_due_at, workstation_id, superseded_at FROM confirmations WHERE id = ANY($1::uuid[])`, [confirmationIds]);
    return new Map(
      rows.map((f) => [
        f.id,
        { status: f.status, appliedAt: f.applied_at, acceptedAt: f.accepted_at, rulingDueAt: f.ruling_due_at, workstationId: f.workstation_id, superseded: f.superseded_at !== null },
      ]),
    );
  }

  /** Installments by agreement and seq (key `${agreementId}:${seq}`); installments of one agreement share its breach flag. */
  async installments(em: EntityManager, keys: Array<{ agreementId: string; seq: number }>): Promise<Map<string, InstallmentFacts>> {
    const rows: Array<{ agreement_id: string; seq: number; due_date: string; amount: string; paid_at: Date | null; in_breach: boolean }> = await em.query(
      `SELECT i.agreement_id, i.seq, i.due_date::text AS due_date, i.amount::text AS amount, i.paid_at, a.in_breach
         FROM installments i JOIN agreements a ON a.id = i.agreement_id
         JOIN unnest($1::uuid[], $2::int[]) AS k(agreement_id, seq) ON k.agreement_id = i.agreement_id AND k.seq = i.seq`,
      [keys.map((k) => k.agreementId), keys.map((k) => k.seq)],
    );
    const agreements = new Map<string, { inBreach: boolean }>();
    return new Map(
      rows.map((i) => {
        let agreement = agreements.get(i.agreement_id);
        if (!agreement) agreements.set(i.agreement_id, (agreement = { inBreach: i.in_breach }));
        return [`${i.agreement_id}:${i.seq}`, { agreementId: i.agreement_id, seq: i.seq, dueDate: i.due_date, amount: i.amount, paidAt: i.paid_at, agreement }];
      }),
    );
  }

  /** The case flagged overdue: a change of the case, so its version moves (the timeline event is the caller's). */
  async flagCaseOverdue(em: EntityManager, caseId: string, now: Date): Promise<void> {
    await em.query(`UPDATE cases SET overdue = true, version = version + 1, updated_at = $2 WHERE id = $1`, [caseId, now]);
  }

  /** The agreement in breach (the first breach date stays), and its case's version moved. */
  async flagAgreementInBreach(em: EntityManager, agreementId: string, caseId: string, now: Date): Promise<void> {
    await em.query(`UPDATE agreements SET in_breach = true, breached_at = coalesce(breached_at, $2) WHERE id = $1`, [agreementId, now]);
    await em.query(`UPDATE cases SET version = version + 1, updated_at = $2 WHERE id = $1`, [caseId, now]);
  }

  /** Marks active rows skipped; returns those it marked (one another delivery took meanwhile is left as it is). */
  async markSkipped(em: EntityManager, skipped: Array<{ id: string; reason: string }>, now: Date): Promise<Set<string>> {
    if (!skipped.length) return new Set();
    // `r.id = ANY($1)` besides the join: the rows are looked up by id whatever the statistics say (see markEnqueued and STILL_ACTIVE).
    const [rows]: [Array<{ id: string }>, number] = await em.query(
      `UPDATE reminders r SET status = 'skipped', skip_reason = s.reason, delivered_at = $3
         FROM unnest($1::uuid[], $2::text[]) AS s(id, reason) WHERE r.id = ANY($1::uuid[]) AND r.id = s.id AND (r.${ACTIVE}) IS TRUE RETURNING r.id`,
      [
        skipped.map((s) => s.id),
        skipped.map((s) => s.reason),
        now,
      ],
    );
    return new Set(ids(rows));
  }

  /** Marks active rows delivered; returns those it marked (one another delivery took meanwhile is left as it is). */
  async markDelivered(em: EntityManager, reminderIds: string[], now: Date): Promise<Set<string>> {
    if (!reminderIds.length) return new Set();
    const [rows]: [Array<{ id: string }>, number] = await em.query(
      `UPDATE reminders SET status = 'delivered', delivered_at = $2 WHERE id = ANY($1::uuid[]) AND ${STILL_ACTIVE} RETURNING id`,
      [reminderIds, now],
    );
    return new Set(ids(rows));
  }
}
