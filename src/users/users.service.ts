import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomInt } from 'node:crypto';
import { EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AccountStateService } from '../accounts-core/account-state.service';
import { AuthUser } from '../accounts-core/auth-user';
import { PasswordHasher } from '../accounts-core/password-hasher';
import { assertPasswordAcceptable, passwordProblem } from '../accounts-core/password-policy';
import { Role } from '../accounts-core/role.enum';
import { visibleWorkstationId } from '../accounts-core/scope';
import { OPEN_STATUSES } from '../common/case-codes';
import { AppConfigService } from '../config/app-config.service';
import { conflict, DomainError, ErrorCode, invalidInput, notFound } from '../common/errors/domain-error';
import { Workstation } from '../workstations/workstation.entity';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserView } from './user.dto';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

export function toUserView(u: User): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    workstationId: u.workstationId,
    phone: u.phone,
    active: u.active,
    // Present only when true (after an admin's reset), so that an ordinary answer never names a password.
    ...(u.mustChangePassword ? { mustChangePassword: true as const } : {}),
  };
}

/** The account fields whose change ends the account's tokens. */
const REVOKING_FIELDS = ['role', 'workstationId', 'active'] as const;
const EDITABLE_FIELDS = ['displayName', 'role', 'workstationId', 'phone', 'active'] as const;
/** Temporary passwords: 3 groups of 4 from an alphabet without look-alikes (0/O, 1/l/I). */
const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function temporaryPassword(): string {
  const group = () => Array.from({ length: 4 }, () => TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)]).join('');
  return `${group()}-${group()}-${group()}`;
}

export interface RequestContext {
  actor: AuthUser;
  ip: string | null;
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Workstation) private readonly workstations: Repository<Workstation>,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfigService,
    private readonly audit: AuditService,
    private readonly accounts: AccountStateService,
    private readonly usersSql: UsersRepository,
  ) {}

  /** The first admin comes from ADMIN_USERNAME / ADMIN_PASSWORD when there is no admin yet. */
  async onApplicationBootstrap(): Promise<void> {
    const username = this.config.get('ADMIN_USERNAME');
    const password = this.config.get('ADMIN_PASSWORD');
    if (!username || !password) return;
    if (await this.users.exists({ where: { role: Role.Admin } })) return;
    const weak = passwordProblem(password, username);
    if (weak) this.logger.warn(`ADMIN_PASSWORD does not meet the password policy (${weak.message}): change it after the first login`);
    try {
      await this.create({ username, password, displayName: 'Administrator', role: Role.Admin }, null);
      this.logger.log(`created the first admin "${username}"`);
    } catch (e) {
      // Another instance starting at the same moment may have created it.
      if (!(e instanceof DomainError)) throw e;
    }
  }

  /** `ctx` null: the first admin from the environment (the operator's password is not policy-checked). */
  async create(dto: CreateUserDto, ctx: RequestContext | null): Promise<UserView> {
    if (ctx) assertPasswordAcceptable(dto.password, dto.username);
    await this.assertPlacement(dto.role, dto.workstationId ?? null);
    const taken = await this.users.createQueryBuilder('u').where('lower(u.username) = lower(:name)', { name: dto.username }).getExists();
    if (taken) throw new DomainError(ErrorCode.AlreadyExists, `Username ${dto.username} is taken`, { field: 'username' }, '用户名已被使用');
    const user = this.users.create({
      username: dto.username,
      passwordHash: await this.hasher.hash(dto.password),
      displayName: dto.displayName,
      role: dto.role,
      workstationId: dto.workstationId ?? null,
      phone: dto.phone ?? null,
      active: true,
      kind: 'person',
    });
    const saved = await this.users.manager.transaction(async (em) => {
      const row = await em.save(user);
      if (ctx) await this.audit.record(em, { actor: ctx.actor, action: 'user.created', targetId: row.id, ip: ctx.ip, details: { after: toUserView(row) } });
      return row;
    });
    return toUserView(saved);
  }

  /** A role's workstation rule: mediators and clerks need one, admins have none; it must exist. */
  async assertPlacement(role: Role, workstationId: string | null): Promise<void> {
    const needsWorkstation = role === Role.Mediator || role === Role.CourtClerk;
    if (needsWorkstation && !workstationId) throw invalidInput(`workstationId is required for role ${role}`, { field: 'workstationId' }, '调解员和法院书记员必须属于一个工作室');
    if (role === Role.Admin && workstationId) throw invalidInput('admins belong to no workstation', { field: 'workstationId' }, '管理员不属于任何工作室');
    if (workstationId && !(await this.workstations.exists({ where: { id: workstationId } }))) {
      throw invalidInput('workstationId does not exist', { field: 'workstationId' }, '工作室不存在');
    }
  }

  async list(actor: AuthUser, query: ListUsersQuery): Promise<UserView[]> {
    const scope = visibleWorkstationId(actor);
    if (scope === undefined) return [];
    if (scope !== null && query.workstationId && query.workstationId !== scope) return [];
    const where: FindOptionsWhere<User> = { kind: 'person' };
    if (query.role) where.role = query.role;
    if (query.active !== undefined) where.active = query.active;
    const ws = scope ?? query.workstationId;
    if (ws) where.workstationId = ws;
    const rows = await this.users.find({ where, order: { username: 'ASC' }, take: 1000 });
    return rows.map(toUserView);
  }

  /** An admin's change of a person's account; a role, workstation or active change ends its tokens. */
  async update(ctx: RequestContext, id: string, dto: UpdateUserDto): Promise<UserView> {
    const before = await this.users.findOne({ where: { id, kind: 'person' } });
    if (!before) throw notFound('User', '用户不存在');
    const next = { ...before };
    for (const field of EDITABLE_FIELDS) if (dto[field] !== undefined) (next as Record<string, unknown>)[field] = dto[field];
    const changed = EDITABLE_FIELDS.filter((f) => next[f] !== before[f]);
    if (!changed.length) return toUserView(before);
    if (id === ctx.actor.id && (changed.includes('role') || changed.includes('active'))) {
      throw conflict('You cannot change your own role or deactivate yourself', { field: changed.includes('role') ? 'role' : 'active' }, '不能修改自己的角色或停用自己的账号');
    }
    if (changed.includes('role') || changed.includes('workstationId')) {
      // A role change to admin drops the workstation unless one was given.
      if (next.role === Role.Admin && dto.workstationId === undefined) next.workstationId = null;
      await this.assertPlacement(next.role, next.workstationId);
      await this.assertNoOpenCasesElsewhere(before, next);
    }
    const revokes = REVOKING_FIELDS.some((f) => next[f] !== before[f]);
    const saved = await this.users.manager.transaction(async (em) => {
      await em.update(User, { id }, {
        displayName: next.displayName,
        role: next.role,
        workstationId: next.workstationId,
        phone: next.phone,
        active: next.active,
        ...(revokes ? { tokenVersion: () => 'token_version + 1' } : {}),
      });
      const after = (await em.findOne(User, { where: { id } }))!;
      const diff = (u: User) => Object.fromEntries(EDITABLE_FIELDS.filter((f) => next[f] !== before[f] || f === 'role').map((f) => [f, u[f]]));
      await this.audit.record(em, { actor: ctx.actor, action: 'user.updated', targetId: id, ip: ctx.ip, details: { before: diff(before), after: diff(after), tokensRevoked: revokes } });
      return after;
    });
    this.accounts.invalidate(id);
    return toUserView(saved);
  }

  /** A mediator with open cases cannot leave its workstation or role: reassign the cases first. */
  private async assertNoOpenCasesElsewhere(before: User, next: User): Promise<void> {
    if (before.role !== Role.Mediator) return;
    if (next.role === Role.Mediator && next.workstationId === before.workstationId) return;
    const open = await this.usersSql.countCasesOfMediator(before.id, OPEN_STATUSES);
    if (open > 0) {
      throw conflict(`The mediator has ${open} open case(s): reassign them first`, { openCases: open }, `该调解员仍有 ${open} 件未结案件，请先改派`);
    }
  }

  /** An admin's reset: a temporary password, shown once, changed at the next login; the old tokens end. */
  async resetPassword(ctx: RequestContext, id: string): Promise<{ temporaryPassword: string }> {
    const user = await this.users.findOne({ where: { id, kind: 'person' } });
    if (!user) throw notFound('User', '用户不存在');
    const password = temporaryPassword();
    await this.setPassword(id, await this.hasher.hash(password), true, (em) =>
      this.audit.record(em, { actor: ctx.actor, action: 'user.password_reset', targetId: id, ip: ctx.ip }),
    );
    this.accounts.invalidate(id);
    return { temporaryPassword: password };
  }

  /** Sets a password hash and ends the account's tokens, with `inTransaction` (the audit record) in the same transaction. */
  async setPassword(id: string, passwordHash: string, mustChange: boolean, inTransaction: (em: EntityManager) => Promise<void>): Promise<User> {
    return this.users.manager.transaction(async (em) => {
      await em.update(User, { id }, { passwordHash, mustChangePassword: mustChange, passwordChangedAt: () => 'now()', tokenVersion: () => 'token_version + 1' });
      await inTransaction(em);
      return (await em.findOne(User, { where: { id } }))!;
    });
  }

  /**
   * The same password under a new hash (new hashing settings): tokens, the must-change flag and the
   * password's age stay as they are. Only if the stored hash is still `currentHash`, so that a
   * password changed meanwhile is never overwritten.
   */
  async replacePasswordHash(id: string, currentHash: string, newHash: string): Promise<void> {
    await this.users.update({ id, passwordHash: currentHash }, { passwordHash: newHash });
  }

  async bumpTokenVersion(id: string): Promise<void> {
    await this.users.increment({ id }, 'tokenVersion', 1);
  }

  /** For login only: the one query that reads the password hash (people only: service accounts use API keys). */
  findForLogin(username: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.username) = lower(:username)', { username })
      .andWhere('u.active')
      .andWhere(`u.kind = 'person'`)
      .getOne();
  }

  async findById(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id } });
  }
}
