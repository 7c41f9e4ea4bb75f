import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PgReads } from '../common/pg-reads';
import { AuditAction } from './audit-actions';

export interface AuditRow {
  actorId: string | null;
  actorName: string | null;
  action: AuditAction;
  caseId: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditFilter {
  actorId?: string;
  caseId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

export interface AuditEntryView extends AuditRow {
  id: string;
  at: Date;
}

/** The audit_log table: append and filtered reads. */
@Injectable()
export class AuditRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: PgReads,
  ) {}

  /**
   * Appends rows: in the caller's transaction (`em`), or on their own (autocommit). On their own
   * the INSERT goes straight to TypeORM's pg pool (PgReads: same connections, a failure thrown as
   * the same QueryFailedError) instead of through `DataSource.query`'s QueryRunner, whose connect,
   * query-event and release bookkeeping ran on every identity-view audit of a case read (issue 17).
   */
  async insert(em: EntityManager | null, rows: AuditRow[]): Promise<void> {
    if (!rows.length) return;
    const params: unknown[] = [];
    const values = rows.map((r) => {
      const base = params.length;
      params.push(r.actorId, r.actorName, r.action, r.caseId, r.targetId, r.ip, r.details === null ? null : JSON.stringify(r.details));
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}::jsonb)`;
    });
    const sql = `INSERT INTO audit_log (actor_id, actor_name, action, case_id, target_id, ip, details) VALUES ${values.join(', ')}`;
    if (em) await em.query(sql, params);
    else await this.reads.rows(sql, params);
  }

  async list(f: AuditFilter): Promise<{ items: AuditEntryView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.actorId) add('actor_id = ?', f.actorId);
    if (f.caseId) add('case_id = ?', f.caseId);
    if (f.action) add('action = ?', f.action);
    if (f.from) add('at >= ?', f.from);
    if (f.to) add('at < ?', f.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM audit_log ${clause}`, params);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id::text AS id, at, actor_id, actor_name, action, case_id, target_id, ip, details FROM audit_log ${clause}
        ORDER BY at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, f.pageSize, (f.page - 1) * f.pageSize],
    );
    return {
      total,
      items: rows.map((r) => ({
        id: r.id as string,
        at: r.at as Date,
        actorId: r.actor_id as string | null,
        actorName: r.actor_name as string | null,
        action: r.action as AuditAction,
        caseId: r.case_id as string | null,
        targetId: r.target_id as string | null,
        ip: r.ip as string | null,
        details: r.details as Record<string, unknown> | null,
      })),
    };
  }
}
