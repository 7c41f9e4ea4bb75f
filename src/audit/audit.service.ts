import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditAction } from './audit-actions';
import { AuditFilter, AuditRepository } from './audit.repository';

/** Who acted: a signed-in user (AuthUser fits), or null for the system (the retention job). */
export interface AuditActor {
  id: string;
  username?: string;
  displayName?: string;
}

export interface AuditEntry {
  actor: AuditActor | null;
  action: AuditAction;
  caseId?: string | null;
  /** The account, service account or record acted upon, when it is not a case. */
  targetId?: string | null;
  /** The client's address (req.ip: behind TRUSTED_PROXIES only, the forwarded one). */
  ip?: string | null;
  /** What changed (before/after), the filters of an export, a failed login's username. Never a password or token. */
  details?: Record<string, unknown> | null;
}

/** Rows per INSERT of the grouped writes (7 parameters a row, well under PostgreSQL's 65,535). */
export const GROUPED_AUDIT_MAX_ROWS = 500;

interface PendingEntries {
  entries: AuditEntry[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * The audit log (DESIGN "Security and personal data"). Other modules call
 * `record(em, entry)` with their transaction's EntityManager so that the entry commits or rolls
 * back with the change; `null` writes on its own.
 */
@Injectable()
export class AuditService {
  private pending: PendingEntries[] = [];

  constructor(private readonly repo: AuditRepository) {}

  /**
   * Writes on their own, together with the entries other requests hand in during the same turn
   * of the event loop: one INSERT (and one commit) for all of them instead of one each (groups
   * are not held back behind an INSERT still being written). Resolves once these entries are
   * written; if that INSERT fails, every caller in it is told so (and, as with `record`, none of
   * their answers is sent).
   */
  recordGrouped(entries: AuditEntry[]): Promise<void> {
    if (!entries.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entries, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.writePending());
    });
  }

  private writePending(): void {
    const pending = this.pending;
    this.pending = [];
    for (let i = 0; i < pending.length; ) {
      const group: PendingEntries[] = [];
      let rows = 0;
      while (i < pending.length && (rows === 0 || rows + pending[i].entries.length <= GROUPED_AUDIT_MAX_ROWS)) {
        rows += pending[i].entries.length;
        group.push(pending[i++]);
      }
      this.recordMany(null, group.flatMap((g) => g.entries)).then(
        () => group.forEach((g) => g.resolve()),
        (e: unknown) => group.forEach((g) => g.reject(e)),
      );
    }
  }

  record(em: EntityManager | null, entry: AuditEntry): Promise<void> {
    return this.recordMany(em, [entry]);
  }

  recordMany(em: EntityManager | null, entries: AuditEntry[]): Promise<void> {
    return this.repo.insert(
      em,
      entries.map((e) => ({
        actorId: e.actor?.id ?? null,
        actorName: e.actor ? (e.actor.displayName ?? e.actor.username ?? null) : '系统',
        action: e.action,
        caseId: e.caseId ?? null,
        targetId: e.targetId ?? null,
        ip: e.ip ?? null,
        details: e.details ?? null,
      })),
    );
  }

  list(filter: AuditFilter) {
    return this.repo.list(filter);
  }
}
