import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { canSeeWorkstation, visibleWorkstationId } from '../accounts-core/scope';
import { notFound } from '../common/errors/domain-error';
import { MediatorRosterRepository } from './mediator-roster.repository';
import { MediatorViewDto, UpdateMediatorDto } from './mediator.dto';
import { RequestContext } from './users.service';
import { AuthUser } from '../accounts-core/auth-user';

/** Union staff keep the roster of their own workstation (city-level staff and admins: every one). */
@Injectable()
export class MediatorRosterService {
  constructor(
    private readonly roster: MediatorRosterRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(actor: AuthUser, workstationId?: string): Promise<MediatorViewDto[]> {
    const scope = visibleWorkstationId(actor);
    if (scope === undefined) return [];
    if (scope !== null && workstationId && workstationId !== scope) return [];
    return this.roster.list(scope ?? workstationId ?? null);
  }

  async update(ctx: RequestContext, id: string, dto: UpdateMediatorDto): Promise<MediatorViewDto> {
    const before = await this.roster.find(id);
    // Outside the caller's scope it does not exist (DESIGN: 404, not 403).
    if (!before || !canSeeWorkstation(ctx.actor, before.workstationId)) throw notFound('Mediator', '调解员不存在');
    const profile = {
      specialties: dto.specialties ?? before.specialties,
      qualifications: dto.qualifications !== undefined ? dto.qualifications : before.qualifications,
      invited: dto.invited ?? before.invited,
      organisation: dto.organisation !== undefined ? dto.organisation : before.organisation,
    };
    return this.dataSource.transaction(async (em) => {
      await this.roster.upsertProfile(em, id, profile);
      const { specialties, qualifications, invited, organisation } = before;
      await this.audit.record(em, { actor: ctx.actor, action: 'mediator.updated', targetId: id, ip: ctx.ip, details: { before: { specialties, qualifications, invited, organisation }, after: profile } });
      return (await this.roster.find(id, em))!;
    });
  }
}
