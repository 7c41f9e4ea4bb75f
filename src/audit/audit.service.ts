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

/**
 * The audit log (DESIGN "Security and personal data"). Other modules call
 * `record(em, entry)` with their transaction's EntityManager so that the entry commits or rolls
 * back with the change; `null` writes on its own.
 */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

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
