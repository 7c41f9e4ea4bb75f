import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CONFIRMATION_STATUSES, ConfirmationStatus } from '../common/case-codes';

export { CONFIRMATION_STATUSES, type ConfirmationStatus };

@Entity('confirmations')
export class Confirmation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ name: 'workstation_id', type: 'uuid' }) workstationId: string;
  @Column({ type: 'varchar' }) status: ConfirmationStatus;
  @Column({ name: 'applied_at', type: 'timestamptz' }) appliedAt: Date;
  @Column({ name: 'requested_by', type: 'uuid', nullable: true }) requestedBy: string | null;
  @Column({ name: 'ruled_at', type: 'timestamptz', nullable: true }) ruledAt: Date | null;
  @Column({ name: 'ruling_number', type: 'varchar', nullable: true }) rulingNumber: string | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'ruled_by', type: 'uuid', nullable: true }) ruledBy: string | null;
  @Column({ type: 'varchar', nullable: true }) court: string | null;
  /** Both parties applied jointly (法释〔2011〕5号 art. 3): who they were. */
  @Column({ type: 'jsonb', nullable: true }) applicants: Array<{ side: 'applicant' | 'respondent'; name: string }> | null;
  @Column({ name: 'acceptance_due_at', type: 'timestamptz', nullable: true }) acceptanceDueAt: Date | null;
  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true }) acceptedAt: Date | null;
  @Column({ name: 'acceptance_number', type: 'varchar', nullable: true }) acceptanceNumber: string | null;
  @Column({ name: 'accepted_by', type: 'uuid', nullable: true }) acceptedBy: string | null;
  @Column({ name: 'declined_at', type: 'timestamptz', nullable: true }) declinedAt: Date | null;
  @Column({ name: 'ruling_due_at', type: 'timestamptz', nullable: true }) rulingDueAt: Date | null;
  @Column({ name: 'ruling_extended_at', type: 'timestamptz', nullable: true }) rulingExtendedAt: Date | null;
  @Column({ name: 'ruling_extension_reason', type: 'text', nullable: true }) rulingExtensionReason: string | null;
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true }) supersededAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
