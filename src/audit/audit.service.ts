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
  private writing = false;

  constructor(private readonly repo: AuditRepository) {}

  /**
   * Writes on their own, together with the entries other requests hand in meanwhile: one INSERT
   * (and one commit) for all that arrived while the previous one was being written, instead of
   * one each. Resolves once these entries are written; if that INSERT fails, every caller in it
   * is told so (and, as with `record`, none of their answers is sent).
   */
  recordGrouped(entries: AuditEntry[]): Promise<void> {
    if (!entries.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entries, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        void this.writePending();
      }
    });
  }

  private async writePending(): Promise<void> {
    // The requests answered in this turn of the event loop join the first group.
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending.length) {
      const group: PendingEntries[] = [];
      let rows = 0;
      while (this.pending.length && (rows === 0 || rows + this.pending[0].entries.length <= GROUPED_AUDIT_MAX_ROWS)) {
        const next = this.pending.shift()!;
        group.push(next);
        rows += next.entries.length;
      }
      try {
        await this.recordMany(null, group.flatMap((g) => g.entries));
        for (const g of group) g.resolve();
      } catch (e) {
        for (const g of group) g.reject(e);
      }
    }
    this.writing = false;
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
