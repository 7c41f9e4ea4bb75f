import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountKind } from './auth-user';
import { Role } from './role.enum';

/** An account as the guard checks it on every request. */
export interface AccountState {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  workstationId: string | null;
  active: boolean;
  tokenVersion: number;
  mustChangePassword: boolean;
  kind: AccountKind;
}

/** A service account's API key as the guard checks it. */
export interface ApiKeyState {
  userId: string;
  keyHash: Buffer;
  workstationIds: string[];
  revoked: boolean;
}

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  workstation_id: string | null;
  active: boolean;
  token_version: number;
  must_change_password: boolean;
  kind: AccountKind;
}

interface ApiKeyRow {
  user_id: string;
  key_hash: Buffer;
  workstation_ids: string[];
  revoked_at: Date | null;
}

/** The rows behind the guard's account check (read at most once per account every few seconds: AccountStateService caches). */
@Injectable()
export class AccountStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findAccount(id: string): Promise<AccountState | null> {
    const rows: AccountRow[] = await this.dataSource.query(
      `SELECT id, username, display_name, role, workstation_id, active, token_version, must_change_password, kind FROM users WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      workstationId: r.workstation_id ?? null,
      active: r.active,
      tokenVersion: r.token_version,
      mustChangePassword: r.must_change_password,
      kind: r.kind,
    };
  }

  async findApiKey(keyId: string): Promise<ApiKeyState | null> {
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `SELECT user_id, key_hash, workstation_ids::text[] AS workstation_ids, revoked_at FROM service_accounts WHERE key_id = $1`,
      [keyId],
    );
    const r = rows[0];
    return r ? { userId: r.user_id, keyHash: r.key_hash, workstationIds: r.workstation_ids, revoked: r.revoked_at !== null } : null;
  }
}
