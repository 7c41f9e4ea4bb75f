import { Injectable } from '@nestjs/common';

/**
 * Every BullMQ job scheduler of the process, upserted by the outbox dispatcher whenever Redis is
 * (again) there: at first sight after start (so that a start with Redis down does not wait on
 * Redis), after a restart, and after a loss of Redis data (the sentinel key is gone). A module
 * registers its scheduler's upsert at bootstrap and never awaits Redis itself.
 */
@Injectable()
export class JobSchedulers {
  private readonly upserts = new Map<string, () => Promise<unknown>>();

  register(id: string, upsert: () => Promise<unknown>): void {
    this.upserts.set(id, upsert);
  }

  ids(): string[] {
    return [...this.upserts.keys()];
  }

  async upsertAll(): Promise<void> {
    for (const upsert of this.upserts.values()) await upsert();
  }
}
