import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ConfirmationStatus = 'pending' | 'confirmed' | 'rejected';

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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
