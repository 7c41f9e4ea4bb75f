import { EntityManager } from 'typeorm';
import { Role } from '../accounts-core/role.enum';
import { Audience, CaseAtDelivery } from './reminder-registry';
import { RemindersRepository } from './reminders.repository';

/** Per delivery batch: users looked up once, whichever reminder of the batch asks. */
export class RecipientCache {
  private readonly byKey = new Map<string, Promise<string[]>>();

  constructor(
    private readonly repo: RemindersRepository,
    private readonly em: EntityManager,
  ) {}

  /** Seeds the cache with which of these (mediator) ids are active users, in one query. */
  async preloadActive(userIds: string[]): Promise<void> {
    if (!userIds.length) return;
    const active = await this.repo.activeUserIds(this.em, userIds);
    for (const id of userIds) this.byKey.set(`user:${id}`, Promise.resolve(active.has(id) ? [id] : []));
  }

  /** The users an audience list means for a case (`workstationId`: whose clerks and union staff), without repeats. */
  async resolve(audiences: readonly Audience[], c: CaseAtDelivery, workstationId: string): Promise<string[]> {
    const users: string[] = [];
    for (const audience of audiences) users.push(...(await this.audience(audience, c, workstationId)));
    return [...new Set(users)];
  }

  private audience(audience: Audience, c: CaseAtDelivery, workstationId: string): Promise<string[]> {
    switch (audience) {
      case 'mediator':
        // The case's mediator as of now (it may have changed since the reminder was planned).
        return c.mediatorId ? this.user(c.mediatorId) : Promise.resolve([]);
      case 'clerks':
        return this.usersOf(Role.CourtClerk, workstationId);
      case 'union_staff':
        return this.unionStaff(workstationId);
    }
  }

  /** The workstation's union staff; city-level union staff when the workstation has none. */
  private async unionStaff(workstationId: string): Promise<string[]> {
    const own = await this.usersOf(Role.UnionStaff, workstationId);
    return own.length ? own : this.usersOf(Role.UnionStaff, null);
  }

  /** The user, if active: [] otherwise. */
  private user(id: string): Promise<string[]> {
    return this.memo(`user:${id}`, async () => ((await this.repo.activeUserIds(this.em, [id])).has(id) ? [id] : []));
  }

  private usersOf(role: Role, workstationId: string | null): Promise<string[]> {
    return this.memo(`${role}:${workstationId ?? 'city'}`, () => this.repo.activeUsersOf(this.em, role, workstationId));
  }

  private memo(key: string, load: () => Promise<string[]>): Promise<string[]> {
    let found = this.byKey.get(key);
    if (!found) this.byKey.set(key, (found = load()));
    return found;
  }
}
