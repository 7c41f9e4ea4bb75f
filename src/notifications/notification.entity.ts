import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'reminder_id', type: 'uuid', nullable: true }) reminderId: string | null;
  @Column() kind: string;
  @Column({ name: 'case_id', type: 'uuid', nullable: true }) caseId: string | null;
  @Column({ name: 'case_number', type: 'varchar', nullable: true }) caseNumber: string | null;
  @Column() message: string;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true }) readAt: Date | null;
  /** When the external sender (SMS, e-mail) took it; null until then. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
}
