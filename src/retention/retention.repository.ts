import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { StoredBlob } from '../attachments/attachment-storage';
import { OPEN_STATUSES } from '../case-core/case-lifecycle';

/** What an anonymised free-text field reads. */
export const ANONYMISED_TEXT = '（已按保存期限匿名化）';
export const ANONYMISED_NAME = '已匿名';

/**
 * Personal columns of `cases` that other parts may add (addresses, agents, representatives):
 * cleared when present. The ones of the first schema are cleared below by name.
 */
const OPTIONAL_PERSONAL_COLUMNS: Record<'cases' | 'confirmations' | 'agreements', string[]> = {
  cases: ['applicant_address', 'respondent_address', 'applicant_agent', 'respondent_agent', 'representatives', 'applicant_credit_code', 'respondent_id_number', 'void_reason'],
  confirmations: ['applicants'],
  agreements: ['signatories'],
};

/** SQL of the retention job: which cases are due, and the anonymisation of one batch. */
@Injectable()
export class RetentionRepository {
  private optionalColumns?: Promise<Record<string, string[]>>;

  constructor(private readonly dataSource: DataSource) {}

  /** Concluded (not open) cases whose conclusion is older than the cutoff and not yet anonymised, locked. */
  /** The job's advisory lock for this transaction: false when another instance runs it now. */
  async tryLockRun(em: EntityManager, key: number): Promise<boolean> {
    const [{ locked }]: Array<{ locked: boolean }> = await em.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [key]);
    return locked;
  }

  async lockDue(em: EntityManager, cutoff: Date, limit: number): Promise<Array<{ id: string; case_number: string }>> {
    return em.query(
      `SELECT id, case_number FROM cases
        WHERE anonymised_at IS NULL AND concluded_at IS NOT NULL AND concluded_at < $1 AND status <> ALL($2::varchar[])
        ORDER BY concluded_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [cutoff, OPEN_STATUSES, limit],
    );
  }

  /**
   * Names, numbers, phones, addresses and free text replaced in the cases and everything hanging off
   * them; attachments removed. Returns the removed attachments' storage keys: objects in S3 are to be
   * deleted once this transaction has committed.
   */
  async anonymise(em: EntityManager, caseIds: string[]): Promise<StoredBlob[]> {
    const present = await this.presentOptionalColumns();
    const cleared = (table: string) => (present[table] ?? []).map((c) => `, ${c} = NULL`).join('');
    const optional = cleared('cases');
    await em.query(
      `UPDATE cases SET applicant_name = $2, applicant_id_number = NULL, applicant_phone = NULL,
              respondent_name = $2, respondent_credit_code = NULL, respondent_phone = NULL,
              court_case_number = NULL, summary = $3, outcome_reason = CASE WHEN outcome_reason IS NULL THEN NULL ELSE $3 END,
              anonymised_at = now() ${optional}
        WHERE id = ANY($1::uuid[])`,
      [caseIds, ANONYMISED_NAME, ANONYMISED_TEXT],
    );
    await em.query(`UPDATE case_sessions SET location = NULL, notes = CASE WHEN notes IS NULL THEN NULL ELSE $2 END WHERE case_id = ANY($1::uuid[])`, [caseIds, ANONYMISED_TEXT]);
    await em.query(`UPDATE agreements SET terms = $2 ${cleared('agreements')} WHERE case_id = ANY($1::uuid[])`, [caseIds, ANONYMISED_TEXT]);
    await em.query(`UPDATE confirmations SET reason = CASE WHEN reason IS NULL THEN NULL ELSE $2 END ${cleared('confirmations')} WHERE case_id = ANY($1::uuid[])`, [caseIds, ANONYMISED_TEXT]);
    await em.query(`UPDATE notifications SET message = $2 WHERE case_id = ANY($1::uuid[])`, [caseIds, ANONYMISED_TEXT]);
    // The timeline's one exception to append-only (see migration Retention1764200300000): this transaction only.
    await em.query(`SELECT set_config('mediation.anonymising', 'on', true)`);
    await em.query(
      `UPDATE case_events SET before = CASE WHEN before IS NULL THEN NULL ELSE '{"anonymised": true}'::jsonb END,
                              after = CASE WHEN after IS NULL THEN NULL ELSE '{"anonymised": true}'::jsonb END
        WHERE case_id = ANY($1::uuid[]) AND (before IS NOT NULL OR after IS NOT NULL)`,
      [caseIds],
    );
    await em.query(`SELECT set_config('mediation.anonymising', 'off', true)`);
    // Attachments: removed with their content (PostgreSQL chunks cascade; objects in S3 are deleted by the caller after commit).
    // TypeORM answers a DELETE ... RETURNING on PostgreSQL with [rows, affected].
    const [removed]: [StoredBlob[], number] = await em.query(`DELETE FROM attachments WHERE case_id = ANY($1::uuid[]) RETURNING id, storage_key AS "storageKey"`, [caseIds]);
    return removed;
  }

  /** The optional personal columns this schema has (nullable ones only), by table. */
  private presentOptionalColumns(): Promise<Record<string, string[]>> {
    this.optionalColumns ??= this.dataSource
      .query(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND is_nullable = 'YES' AND (table_name || '.' || column_name) = ANY($1::text[])`,
        [Object.entries(OPTIONAL_PERSONAL_COLUMNS).flatMap(([table, columns]) => columns.map((c) => `${table}.${c}`))],
      )
      .then((rows: Array<{ table_name: string; column_name: string }>) => {
        const byTable: Record<string, string[]> = {};
        for (const r of rows) (byTable[r.table_name] ??= []).push(`"${r.column_name}"`);
        return byTable;
      });
    return this.optionalColumns;
  }
}
