import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { AuthUser } from '../accounts-core/auth-user';
import { heavyReadsBusy, HeavyReadKind, HeavyReadSlots, SEARCH_START_MAX_WAIT_MS, tooManyHeavyReads } from './heavy-reads';
import { InteractiveRequests } from './interactive-requests';

/**
 * Runs a heavy read: holds one of the user's slots and one of the instance's for as long as the
 * work runs (a streamed export: until its last byte is written or the client goes away). The
 * user's limit answers 429 at once; the instance's lets the request wait its turn briefly first.
 * A heavy read is not an interactive request: it leaves InteractiveRequests' count (the other
 * requests it yields to).
 */
@Injectable()
export class HeavyReadGate {
  constructor(
    private readonly slots: HeavyReadSlots,
    private readonly interactive: InteractiveRequests,
  ) {}

  async run<T>(user: AuthUser, kind: HeavyReadKind, response: ServerResponse | undefined, work: () => Promise<T>): Promise<T> {
    if (response) this.interactive.exclude(response);
    const releaseOwn = this.slots.tryAcquire(user.id, kind);
    if (!releaseOwn) throw tooManyHeavyReads(kind);
    let releaseShared;
    try {
      releaseShared = await this.slots.acquireShared(kind);
    } catch (e) {
      releaseOwn();
      throw e;
    }
    if (!releaseShared) {
      releaseOwn();
      throw heavyReadsBusy(kind);
    }
    try {
      // A search starts in a gap between the interactive requests (bench `burst`), or after
      // SEARCH_START_MAX_WAIT_MS at the latest; an export yields while it runs (CaseExportService).
      if (kind === 'search') await this.interactive.whenIdle(SEARCH_START_MAX_WAIT_MS);
      return await work();
    } finally {
      releaseShared();
      releaseOwn();
    }
  }
}
