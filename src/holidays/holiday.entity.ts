import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One day of the State Council's arrangement: a day off (`holiday`) or a weekend working day (`workday`, 调休). */
@Entity('holidays')
export class Holiday {
  @PrimaryColumn({ type: 'date' }) day: string;
  @Column({ type: 'varchar' }) kind: 'holiday' | 'workday';
  @Column() name: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
