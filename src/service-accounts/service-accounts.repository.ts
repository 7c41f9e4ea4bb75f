import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ServiceAccountRole, ServiceAccountViewDto } from './service-account.dto';

const SELECT = `SELECT u.id, u.display_name, u.username, u.role, u.active, s.key_id, s.workstation_ids::text[] AS workstation_ids, s.created_at, s.revoked_at
                  FROM service_accounts s JOIN users u ON u.id = s.user_id`;

/** Service accounts: a user row (kind 'service') and its key row. */
@Injectable()
export class ServiceAccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    em: EntityManager,
    a: { username: string; name: string; role: ServiceAccountRole; workstationIds: string[]; keyId: string; keyHash: Buffer; unusablePasswordHash: string; createdBy: string },
  ): Promise<string> {
    const [user] = await em.query(
      `INSERT INTO users (username, password_hash, display_name, role, workstation_id, kind) VALUES ($1, $2, $3, $4, $5, 'service') RETURNING id`,
      [a.username, a.unusablePasswordHash, a.name, a.role, a.workstationIds[0]],
    );
    await em.query(`INSERT INTO service_accounts (user_id, key_id, key_hash, workstation_ids, created_by) VALUES ($1, $2, $3, $4::uuid[], $5)`, [
      user.id,
      a.keyId,
      a.keyHash,
      a.workstationIds,
      a.createdBy,
    ]);
    return user.id;
  }

  async countExistingWorkstations(ids: string[]): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM workstations WHERE id = ANY($1::uuid[])`, [ids]);
    return n;
  }

  async list(): Promise<ServiceAccountViewDto[]> {
    const rows = await this.dataSource.query(`${SELECT} ORDER BY s.created_at DESC, u.id`);
    return rows.map(toView);
  }

  async find(id: string, em?: EntityManager): Promise<ServiceAccountViewDto | null> {
    const rows = await (em ?? this.dataSource).query(`${SELECT} WHERE u.id = $1`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Revokes the key and deactivates the account (its token version moves on too). */
  async revoke(em: EntityManager, id: string): Promise<void> {
    await em.query(`UPDATE service_accounts SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1`, [id]);
    await em.query(`UPDATE users SET active = false, token_version = token_version + 1, updated_at = now() WHERE id = $1 AND kind = 'service'`, [id]);
  }
}

function toView(r: Record<string, unknown>): ServiceAccountViewDto {
  return {
    id: r.id as string,
    name: r.display_name as string,
    username: r.username as string,
    role: r.role as ServiceAccountRole,
    workstationIds: r.workstation_ids as string[],
    active: r.active as boolean,
    keyId: `mtk_${r.key_id as string}`,
    createdAt: r.created_at as Date,
    revokedAt: (r.revoked_at as Date | null) ?? null,
  };
}
