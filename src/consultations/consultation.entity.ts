import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CONSULTATION_CHANNELS = ['window', 'hotline', 'visit'] as const;
export type ConsultationChannel = (typeof CONSULTATION_CHANNELS)[number];
export const CONSULTATION_OUTCOMES = ['advice_only', 'referred_to_arbitration', 'referred_to_legal_aid', 'converted'] as const;
export type ConsultationOutcome = (typeof CONSULTATION_OUTCOMES)[number];

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
