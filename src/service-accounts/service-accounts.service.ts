import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AccountStateService, hashApiKey } from '../accounts-core/account-state.service';
import { AuthUser } from '../accounts-core/auth-user';
import { invalidInput, notFound } from '../common/errors/domain-error';
import { CreatedServiceAccountDto, CreateServiceAccountDto, ServiceAccountViewDto } from './service-account.dto';
import { ServiceAccountsRepository } from './service-accounts.repository';

const KEY_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `mtk_<16 characters>_<32 random bytes, base64url>`; the key id finds the row, only the key's SHA-256 is stored. */
export function newApiKey(): { keyId: string; apiKey: string } {
  const keyId = Array.from(randomBytes(16), (b) => KEY_ID_ALPHABET[b % KEY_ID_ALPHABET.length]).join('');
  return { keyId, apiKey: `mtk_${keyId}_${randomBytes(32).toString('base64url')}` };
}

/** A court's or a union federation's system: the API with a role's rights, for its workstations, by API key. */
@Injectable()
export class ServiceAccountsService {
  constructor(
    private readonly repo: ServiceAccountsRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly accounts: AccountStateService,
  ) {}

  async create(ctx: { actor: AuthUser; ip: string | null }, dto: CreateServiceAccountDto): Promise<CreatedServiceAccountDto> {
    if ((await this.repo.countExistingWorkstations(dto.workstationIds)) !== dto.workstationIds.length) {
      throw invalidInput('workstationIds: a workstation does not exist', { field: 'workstationIds' }, '工作室不存在');
    }
    const { keyId, apiKey } = newApiKey();
    const view = await this.dataSource.transaction(async (em) => {
      const id = await this.repo.insert(em, {
        username: `svc.${keyId.slice(0, 12)}`,
        name: dto.name,
        role: dto.role,
        workstationIds: dto.workstationIds,
        keyId,
        keyHash: hashApiKey(apiKey),
        // Not an argon2 hash: no password ever verifies against it (service accounts use their key).
        unusablePasswordHash: `!service-account:${randomBytes(16).toString('hex')}`,
        createdBy: ctx.actor.id,
      });
      const created = (await this.repo.find(id, em))!;
      await this.audit.record(em, { actor: ctx.actor, action: 'service_account.created', targetId: id, ip: ctx.ip, details: { after: created } });
      return created;
    });
    return { ...view, apiKey };
  }

  list(): Promise<ServiceAccountViewDto[]> {
    return this.repo.list();
  }

  /** At once on this instance; within the 3-second state cache on others. Repeating it is harmless. */
  async revoke(ctx: { actor: AuthUser; ip: string | null }, id: string): Promise<ServiceAccountViewDto> {
    const before = await this.repo.find(id);
    if (!before) throw notFound('Service account', '服务账号不存在');
    const after = await this.dataSource.transaction(async (em) => {
      await this.repo.revoke(em, id);
      if (before.active) await this.audit.record(em, { actor: ctx.actor, action: 'service_account.revoked', targetId: id, ip: ctx.ip, details: { name: before.name } });
      return (await this.repo.find(id, em))!;
    });
    this.accounts.invalidate(id);
    return after;
  }
}
