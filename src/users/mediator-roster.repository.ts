import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DisputeType } from '../common/case-codes';
import { MediatorViewDto } from './mediator.dto';

export interface MediatorProfile {
  specialties: DisputeType[];
  qualifications: string | null;
  invited: boolean;
  organisation: string | null;
}

const SELECT = `SELECT u.id, u.username, u.display_name, u.workstation_id, u.phone, u.active,
                       coalesce(p.specialties, '{}')::text[] AS specialties, p.qualifications, coalesce(p.invited, false) AS invited, p.organisation
                  FROM users u LEFT JOIN mediator_profiles p ON p.user_id = u.id
                 WHERE u.role = 'mediator' AND u.kind = 'person'`;

/** The mediator roster: users with role mediator and their profile row (if any). */
@Injectable()
export class MediatorRosterRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(workstationId: string | null): Promise<MediatorViewDto[]> {
    const rows = await this.dataSource.query(`${SELECT} ${workstationId ? 'AND u.workstation_id = $1' : ''} ORDER BY u.display_name, u.id LIMIT 2000`, workstationId ? [workstationId] : []);
    return rows.map(toView);
  }

  async find(id: string, em?: EntityManager): Promise<MediatorViewDto | null> {
    const rows = await (em ?? this.dataSource).query(`${SELECT} AND u.id = $1`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  async upsertProfile(em: EntityManager, userId: string, p: MediatorProfile): Promise<void> {
    await em.query(
      `INSERT INTO mediator_profiles (user_id, specialties, qualifications, invited, organisation, updated_at)
       VALUES ($1, $2::varchar[], $3, $4, $5, now())
       ON CONFLICT (user_id) DO UPDATE SET specialties = EXCLUDED.specialties, qualifications = EXCLUDED.qualifications,
         invited = EXCLUDED.invited, organisation = EXCLUDED.organisation, updated_at = now()`,
      [userId, p.specialties, p.qualifications, p.invited, p.organisation],
    );
  }
}

function toView(r: Record<string, unknown>): MediatorViewDto {
  return {
    id: r.id as string,
    username: r.username as string,
    displayName: r.display_name as string,
    workstationId: r.workstation_id as string,
    phone: (r.phone as string | null) ?? null,
    active: r.active as boolean,
    specialties: r.specialties as DisputeType[],
    qualifications: (r.qualifications as string | null) ?? null,
    invited: r.invited as boolean,
    organisation: (r.organisation as string | null) ?? null,
  };
}
