import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('agreements')
export class Agreement {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column() terms: string;
  @Column({ name: 'agreed_amount', type: 'numeric' }) agreedAmount: string;
  @Column({ name: 'signed_at', type: 'timestamptz' }) signedAt: Date;
  @Column({ name: 'effective_at', type: 'timestamptz' }) effectiveAt: Date;
  @Column({ name: 'in_breach' }) inBreach: boolean;
  @Column({ name: 'breached_at', type: 'timestamptz', nullable: true }) breachedAt: Date | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  /** Who signed (both parties and the mediator, art. 14). */
  @Column({ type: 'jsonb', nullable: true }) signatories: string[] | null;
  /** Set when a renegotiation after a rejected confirmation replaced this agreement. */
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true }) supersededAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('installments')
export class Installment {
  @Column({ name: 'agreement_id', type: 'uuid', primary: true }) agreementId: string;
  @Column({ primary: true }) seq: number;
  /** A calendar date in Asia/Shanghai, 'YYYY-MM-DD'. */
  @Column({ name: 'due_date', type: 'date' }) dueDate: string;
  @Column({ type: 'numeric' }) amount: string;
  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true }) paidAt: Date | null;
}
