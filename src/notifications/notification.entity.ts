import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A notification shown in the app (migrations Init and ReminderDelivery); read and written through NotificationsRepository. */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  /** The reminder it delivers; null for an immediate notification (unique per reminder and user). */
  @Column({ name: 'reminder_id', type: 'uuid', nullable: true }) reminderId: string | null;
  /** A ReminderKind or an ImmediateNotificationKind. */
  @Column({ type: 'varchar', length: 48 }) kind: string;
  @Column({ name: 'case_id', type: 'uuid', nullable: true }) caseId: string | null;
  @Column({ name: 'case_number', type: 'varchar', length: 64, nullable: true }) caseNumber: string | null;
  @Column({ type: 'text' }) message: string;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true }) readAt: Date | null;
  /** When the external sender (SMS, e-mail) took it; null until then (or again after the sender refused it). */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
}
