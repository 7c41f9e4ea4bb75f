import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AccountKind } from '../accounts-core/auth-user';
import { Role } from '../accounts-core/role.enum';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() username: string;
  @Column({ name: 'password_hash', select: false }) passwordHash: string;
  @Column({ name: 'display_name' }) displayName: string;
  @Column({ type: 'varchar' }) role: Role;
  @Column({ name: 'workstation_id', type: 'uuid', nullable: true }) workstationId: string | null;
  @Column({ type: 'varchar', nullable: true }) phone: string | null;
  @Column() active: boolean;
  /** Bumped by logout, a password change or reset, deactivation, a role or workstation change: older tokens stop working. */
  @Column({ name: 'token_version', type: 'integer', default: 0 }) tokenVersion: number;
  @Column({ name: 'must_change_password', default: false }) mustChangePassword: boolean;
  @Column({ type: 'varchar', default: 'person' }) kind: AccountKind;
  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true }) passwordChangedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
