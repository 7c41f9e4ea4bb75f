import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CaseSource, CaseStatus, DisputeType } from '../case-lifecycle';

@Entity('cases')
export class Case {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'case_number' }) caseNumber: string;
  @Column({ name: 'workstation_id', type: 'uuid' }) workstationId: string;
  @Column({ type: 'varchar' }) source: CaseSource;
  @Column({ name: 'court_case_number', type: 'varchar', nullable: true }) courtCaseNumber: string | null;
  @Column({ name: 'simple_procedure' }) simpleProcedure: boolean;
  @Column({ name: 'dispute_type', type: 'varchar' }) disputeType: DisputeType;
  @Column({ type: 'varchar' }) status: CaseStatus;
  @Column() summary: string;
  @Column({ name: 'claim_amount', type: 'numeric' }) claimAmount: string;
  @Column({ name: 'worker_count' }) workerCount: number;
  @Column({ name: 'applicant_name' }) applicantName: string;
  @Column({ name: 'applicant_id_number', type: 'varchar', nullable: true }) applicantIdNumber: string | null;
  @Column({ name: 'applicant_phone', type: 'varchar', nullable: true }) applicantPhone: string | null;
  @Column({ name: 'respondent_name' }) respondentName: string;
  @Column({ name: 'respondent_credit_code', type: 'varchar', nullable: true }) respondentCreditCode: string | null;
  @Column({ name: 'respondent_phone', type: 'varchar', nullable: true }) respondentPhone: string | null;
  @Column({ name: 'mediator_id', type: 'uuid', nullable: true }) mediatorId: string | null;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
  @Column({ name: 'deadline_at', type: 'timestamptz' }) deadlineAt: Date;
  @Column({ name: 'extension_days' }) extensionDays: number;
  @Column() overdue: boolean;
  @Column({ name: 'concluded_at', type: 'timestamptz', nullable: true }) concludedAt: Date | null;
  @Column({ name: 'outcome_reason', type: 'text', nullable: true }) outcomeReason: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @Column() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
