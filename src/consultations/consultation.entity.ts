import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CONSULTATION_CHANNELS, CONSULTATION_OUTCOMES, ConsultationChannel, ConsultationOutcome } from '../common/case-codes';

export { CONSULTATION_CHANNELS, CONSULTATION_OUTCOMES, type ConsultationChannel, type ConsultationOutcome };

/** A window reception (窗口接待), hotline call (热线) or visit (来访): logged, counted, not a case. */
@Entity('consultations')
export class Consultation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'workstation_id', type: 'uuid' }) workstationId: string;
  @Column({ name: 'consulted_at', type: 'timestamptz' }) consultedAt: Date;
  @Column({ type: 'varchar' }) channel: ConsultationChannel;
  @Column() name: string;
  @Column({ type: 'varchar', nullable: true }) phone: string | null;
  @Column({ type: 'varchar', nullable: true }) employer: string | null;
  @Column() question: string;
  @Column({ type: 'text', nullable: true }) advice: string | null;
  @Column({ type: 'varchar' }) outcome: ConsultationOutcome;
  @Column({ name: 'case_id', type: 'uuid', nullable: true }) caseId: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
