import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { PasswordHasher } from '../auth/password-hasher';
import { Role } from '../auth/role.enum';
import { visibleWorkstationId } from '../auth/scope';
import { AppConfigService } from '../config/app-config.service';
import { DomainError, ErrorCode, invalidInput } from '../common/errors/domain-error';
import { Workstation } from '../workstations/workstation.entity';
import { CreateUserDto, ListUsersQuery, UserView } from './user.dto';
import { User } from './user.entity';

export function toUserView(u: User): UserView {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, workstationId: u.workstationId, phone: u.phone, active: u.active };
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Workstation) private readonly workstations: Repository<Workstation>,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfigService,
  ) {}

  /** The first admin comes from ADMIN_USERNAME / ADMIN_PASSWORD when there is no admin yet. */
  async onApplicationBootstrap(): Promise<void> {
    const username = this.config.get('ADMIN_USERNAME');
    const password = this.config.get('ADMIN_PASSWORD');
    if (!username || !password) return;
    if (await this.users.exists({ where: { role: Role.Admin } })) return;
    try {
      await this.create({ username, password, displayName: 'Administrator', role: Role.Admin });
      this.logger.log(`created the first admin "${username}"`);
    } catch (e) {
      // Another instance starting at the same moment may have created it.
      if (!(e instanceof DomainError)) throw e;
    }
  }

  async create(dto: CreateUserDto): Promise<UserView> {
    const needsWorkstation = dto.role === Role.Mediator || dto.role === Role.CourtClerk;
    if (needsWorkstation && !dto.workstationId) throw invalidInput(`workstationId is required for role ${dto.role}`, { field: 'workstationId' });
    if (dto.role === Role.Admin && dto.workstationId) throw invalidInput('admins belong to no workstation', { field: 'workstationId' });
    if (dto.workstationId && !(await this.workstations.exists({ where: { id: dto.workstationId } }))) {
      throw invalidInput('workstationId does not exist', { field: 'workstationId' });
    }
    const taken = await this.users.createQueryBuilder('u').where('lower(u.username) = lower(:name)', { name: dto.username }).getExists();
    if (taken) throw new DomainError(ErrorCode.AlreadyExists, `Username ${dto.username} is taken`, { field: 'username' });
    const user = this.users.create({
      username: dto.username,
      passwordHash: await this.hasher.hash(dto.password),
      displayName: dto.displayName,
      role: dto.role,
      workstationId: dto.workstationId ?? null,
      phone: dto.phone ?? null,
      active: true,
    });
    return toUserView(await this.users.save(user));
  }

  async list(actor: AuthUser, query: ListUsersQuery): Promise<UserView[]> {
    const scope = visibleWorkstationId(actor);
    if (scope === undefined) return [];
    if (scope !== null && query.workstationId && query.workstationId !== scope) return [];
    const where: FindOptionsWhere<User> = {};
    if (query.role) where.role = query.role;
    const ws = scope ?? query.workstationId;
    if (ws) where.workstationId = ws;
    const rows = await this.users.find({ where, order: { username: 'ASC' }, take: 1000 });
    return rows.map(toUserView);
  }

  /** For login only: the one query that reads the password hash. */
  findForLogin(username: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.username) = lower(:username)', { username })
      .andWhere('u.active')
      .getOne();
  }

  async findById(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id } });
  }
}
