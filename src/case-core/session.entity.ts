import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SessionMode, SessionStatus } from '../common/case-codes';

export type { SessionMode, SessionStatus };

@Entity('case_sessions')
export class CaseSession {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column({ name: 'scheduled_at', type: 'timestamptz' }) scheduledAt: Date;
  @Column({ type: 'varchar' }) mode: SessionMode;
  @Column({ type: 'varchar', nullable: true }) location: string | null;
  @Column({ type: 'varchar' }) status: SessionStatus;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
