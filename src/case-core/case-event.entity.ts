import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One entry of a case's append-only timeline (a trigger forbids UPDATE and DELETE). */
@Entity('case_events')
export class CaseEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id: string;
  @Column({ name: 'case_id', type: 'uuid' }) caseId: string;
  @Column() type: string;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId: string | null;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ type: 'jsonb', nullable: true }) before: Record<string, unknown> | null;
  @Column({ type: 'jsonb', nullable: true }) after: Record<string, unknown> | null;
}
