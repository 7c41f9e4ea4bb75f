import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CaseSource, CaseStatus, CourtOutcome, DisputeType, HandOff, PartyKind } from '../common/case-codes';

export type { CourtOutcome, HandOff, PartyKind };
/** 代理人 of a party. */
export interface PartyAgent {
  name: string;
  phone: string | null;
  relation: string | null;
}
/** An elected representative of a collective dispute (workerCount >= 3). */
export interface Representative {
  name: string;
  phone: string | null;
}

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
  @Column({ name: 'applicant_kind', type: 'varchar' }) applicantKind: PartyKind;
  @Column({ name: 'applicant_credit_code', type: 'varchar', nullable: true }) applicantCreditCode: string | null;
  @Column({ name: 'applicant_address', type: 'varchar', nullable: true }) applicantAddress: string | null;
  @Column({ name: 'applicant_agent', type: 'jsonb', nullable: true }) applicantAgent: PartyAgent | null;
  @Column({ name: 'respondent_id_number', type: 'varchar', nullable: true }) respondentIdNumber: string | null;
  @Column({ name: 'respondent_address', type: 'varchar', nullable: true }) respondentAddress: string | null;
  @Column({ name: 'respondent_agent', type: 'jsonb', nullable: true }) respondentAgent: PartyAgent | null;
  @Column({ type: 'jsonb', nullable: true }) representatives: Representative[] | null;
  @Column({ name: 'hand_off', type: 'varchar', nullable: true }) handOff: HandOff | null;
  @Column({ name: 'court_outcome', type: 'varchar', nullable: true }) courtOutcome: CourtOutcome | null;
  @Column({ name: 'court_document_number', type: 'varchar', nullable: true }) courtDocumentNumber: string | null;
  @Column({ name: 'court_outcome_date', type: 'date', nullable: true }) courtOutcomeDate: string | null;
  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true }) voidedAt: Date | null;
  @Column({ name: 'void_reason', type: 'text', nullable: true }) voidReason: string | null;
  @Column({ name: 'confirmation_waived_at', type: 'timestamptz', nullable: true }) confirmationWaivedAt: Date | null;
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
