import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ReminderKind } from './reminder-kinds';

/** pending → enqueued (on the queue) → delivered, or skipped (its condition no longer held), or cancelled by a change. */
export type ReminderStatus = 'pending' | 'enqueued' | 'delivered' | 'skipped' | 'cancelled';

/** A row of the reminder outbox (migrations Init and ReminderDelivery); carried by the BullMQ job `job_id`. */
@Entity('reminders')
export class Reminder {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 48 }) kind: ReminderKind;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ name: 'subject_id', type: 'uuid', nullable: true }) subjectId: string | null;
  @Column({ name: 'subject_seq', type: 'integer', nullable: true }) subjectSeq: number | null;
  @Column({ name: 'fire_at', type: 'timestamptz' }) fireAt: Date;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt: Date;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) status: ReminderStatus;
  /** Why a `skipped` reminder was not sent. */
  @Column({ name: 'skip_reason', type: 'varchar', length: 200, nullable: true }) skipReason: string | null;
  /** The BullMQ job that carries it (a group of reminders due at the same moment; migration ReminderJobGroups). */
  @Column({ name: 'job_id', type: 'uuid', nullable: true }) jobId: string | null;
  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true }) enqueuedAt: Date | null;
  /** When it was delivered, or skipped. */
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
