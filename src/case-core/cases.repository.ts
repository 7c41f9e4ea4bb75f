import type { CaseAttachmentRecord, CaseListRow, WithInstants } from './case-view';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CONCLUDED_STATUSES, DisputeType, OPEN_STATUSES } from '../common/case-codes';
import { ISO_INSTANTS, isoJsonInstant, PgReads } from '../common/pg-reads';
import { Agreement, Installment } from './agreement.entity';
import { CASE_READ_RECORDS_AT, CASE_READ_SQL, CASE_RECORDS_SQL } from './case-records-sql';
import { CASE_LIST_COLUMNS, CASE_LIST_ORDER, CASE_LIST_SELECT, CaseListValues, caseListRowOf, caseSelectList } from './case-select';
import { Case } from './case.entity';
import { Confirmation } from './confirmation.entity';
import { CaseSession } from './session.entity';

/** A case's records beside the case row (GET /cases/:id). */
export interface CaseRecords {
  sessions: CaseSession[];
  agreement: (Agreement & { installments: Installment[] }) | null;
  confirmation: Confirmation | null;
  attachments: CaseAttachmentRecord[];
}

/**
 * A case's records as GET /cases/:id writes them: every `...At` instant still the string it is
 * written as (isoInstantsIn), not a Date.
 */
export interface CaseRecordsView {
  sessions: Array<WithInstants<CaseSession>>;
  agreement: (WithInstants<Agreement> & { installments: Array<WithInstants<Installment>> }) | null;
  confirmation: WithInstants<Confirmation> | null;
  attachments: Array<WithInstants<CaseAttachmentRecord>>;
}

/** The statement that counts the cases a filter selects, stopping at `cap` when there is one. */
export function caseCountSql(where: string, cap: number | null): string {
  if (cap === null) return `SELECT count(*)::int AS total FROM cases c WHERE ${where}`;
  return `SELECT count(*)::int AS total FROM (SELECT 1 FROM cases c WHERE ${where} LIMIT ${Math.trunc(cap)}) capped`;
}

/** One page of a list, newest received first; its limit and offset are the parameters after the filter's. */
function listPageSql(columns: string, page: CaseWhere): string {
  const n = page.params.length;
  return `SELECT ${columns} FROM cases c WHERE ${page.where} ORDER BY c.received_at DESC, c.id DESC LIMIT $${n + 1} OFFSET $${n + 2}`;
}

/** The column of listPageAndTotalSql's rows that carries the total. */
export const LIST_TOTAL = '__total';
/** Where the total is in a row of the list's one statement read as an array: after CASE_LIST_COLUMNS. */
const LIST_TOTAL_AT = CASE_LIST_COLUMNS.length;

/** The total of a list: the rows a filter selects, capped (caseCountSql), or summed from the counters (`case_counts`). */
export function listTotalSql(total: CaseWhere & { fromCounters: boolean }, cap: number | null): CaseWhere {
  if (total.fromCounters) return { where: `SELECT coalesce(sum(n), 0)::int AS total FROM case_counts WHERE ${total.where}`, params: total.params };
  return { where: caseCountSql(total.where, cap), params: total.params };
}

/**
 * The list's page and its total as one statement: the total's one row joined with the page's
 * rows (each row carries the total in LIST_TOTAL; an empty page gives one row, all null but the
 * total). Each part is a subquery planned as it is alone (the page's LIMIT and the count's
 * aggregate keep them apart). `total.where` is a whole statement with its own $1..$n: when they
 * are the page's own parameters (the same filter, the same array) they are shared, otherwise they
 * are renumbered after the page's. `columns` name `received_at` and `id` as `order` says.
 */
export function listPageAndTotalSql(
  columns: string,
  page: CaseWhere,
  limit: number,
  offset: number,
  total: CaseWhere,
  order = 'p."receivedAt" DESC, p.id DESC',
): { sql: string; params: unknown[] } {
  const n = page.params.length;
  const params: unknown[] = [...page.params, limit, offset];
  const shared = total.params === page.params || total.params.length === 0;
  const totalSql = shared ? total.where : total.where.replace(/\$(\d+)/g, (_, i: string) => `$${Number(i) + n + 2}`);
  if (!shared) params.push(...total.params);
  const sql =
    `SELECT p.*, t.total AS "${LIST_TOTAL}" FROM (${totalSql}) t LEFT JOIN LATERAL ` +
    `(${listPageSql(columns, page)}) p ON true ` +
    `ORDER BY ${order}`;
  return { sql, params };
}

/**
 * The planner's statistics of the grams index (migration CaseSearchBigrams): its most common
 * characters and pairs with the share of the cases holding each (ANALYZE keeps them, some 600 at
 * 1M cases, down to about 0.4%). No rows before the first ANALYZE.
 */
export const SEARCH_GRAM_SHARES_SQL = `SELECT s.most_common_elems::text::text[] AS grams, s.most_common_elem_freqs AS shares
  FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = 'cases_search_grams_idx'`;

/** The share of the cases holding each common gram (SEARCH_GRAM_SHARES_SQL's row). */
export function gramShares(rows: Array<{ grams: string[] | null; shares: number[] | null }>): Map<string, number> {
  const shares = new Map<string, number>();
  for (const row of rows) (row.grams ?? []).forEach((gram, i) => shares.set(gram, row.shares?.[i] ?? 0));
  return shares;
}

/** A mediator of a workstation with the counts the assignment suggestions rank by. */
export interface MediatorCaseload {
  id: string;
  display_name: string;
  specialist: boolean;
  specialties: DisputeType[];
  invited: boolean;
  open_cases: number;
  same_type_cases: number;
  concluded_cases: number;
}

/** A WHERE clause over `cases c` (or `case_counts`) with its bound values, as src/cases/case-query.ts builds them. */
export interface CaseWhere {
  where: string;
  params: unknown[];
}

/** JSON from PostgreSQL carries instants as strings: turn every `...At` field back into a Date. */
function reviveDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveDates);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k.endsWith('At') && typeof v === 'string' ? new Date(v) : reviveDates(v)]),
  );
}

/**
 * reviveDates' instants as the strings their Dates are written as (isoJsonInstant), in place (the
 * value is JSON.parse's own): the same `...At` strings at any depth, the same bytes once written,
 * without a Date or a copied object.
 */
export function isoInstantsIn(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (const item of value) isoInstantsIn(item);
    return value;
  }
  const o = value as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'string') {
      if (k.endsWith('At')) o[k] = isoJsonInstant(v);
    } else if (v !== null && typeof v === 'object') isoInstantsIn(v);
  }
  return o;
}

/**
 * The SQL of the `cases` rows: read by id (a raw SELECT shaped as the entity, see case-select.ts),
 * locked for a change, changed under its version, numbered at intake, listed and counted. The
 * reads of GET /cases and GET /cases/:id go straight to the pool (PgReads).
 */
@Injectable()
export class CasesRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reads: PgReads,
  ) {}

  async findById(id: string): Promise<Case | null> {
    const rows = await this.reads.rows<Case>(`SELECT ${caseSelectList(this.db)} FROM cases c WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * GET /cases/:id's case and records, which it only shows (findById's Case and records() are for
   * everything else): CASE_READ_SQL's one row read as an array, its instants as the ISO strings
   * the answer writes (ISO_INSTANTS and caseListRowOf for the case, isoInstantsIn for the
   * records' JSON), no Date made. Null when there is no such case.
   */
  async findForView(id: string): Promise<{ row: CaseListRow; records: CaseRecordsView } | null> {
    const rows = await this.reads.arrays<CaseListValues>(CASE_READ_SQL, [id], ISO_INSTANTS);
    if (rows.length === 0) return null;
    const v = rows[0];
    const at = CASE_READ_RECORDS_AT;
    const records: CaseRecordsView = { sessions: v[at], agreement: v[at + 1], confirmation: v[at + 2], attachments: v[at + 3] };
    return { row: caseListRowOf(v), records: isoInstantsIn(records) as CaseRecordsView };
  }

  /**
   * The case row locked FOR UPDATE in the caller's transaction. With `lockTimeout` the wait for
   * the lock is bounded for the rest of the transaction (`SET LOCAL lock_timeout`).
   */
  async lock(em: EntityManager, id: string, lockTimeout?: string): Promise<Case | null> {
    if (lockTimeout) await em.query(`SET LOCAL lock_timeout = '${lockTimeout}'`);
    return em.getRepository(Case).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  /** `UPDATE ... WHERE id = $1 AND version = $2` with the version raised; false when the version moved on. */
  async updateVersioned(em: EntityManager, current: Pick<Case, 'id' | 'version'>, set: Partial<Case>, now: Date): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .update(Case)
      .set({ ...set, updatedAt: now, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: current.id, version: current.version })
      .execute();
    return result.affected === 1;
  }

  /**
   * One page of the list, newest received first, and the list's total, in one statement
   * (listPageAndTotalSql): one connection and one round trip instead of two. The rows come as
   * arrays of CASE_LIST_COLUMNS (the total last), their instants as the ISO strings the answer
   * writes (ISO_INSTANTS), and are made case rows by caseListRowOf.
   */
  async listPageAndTotal(page: CaseWhere, limit: number, offset: number, total: CaseWhere): Promise<{ rows: CaseListRow[]; total: number }> {
    const { sql, params } = listPageAndTotalSql(CASE_LIST_SELECT, page, limit, offset, total, CASE_LIST_ORDER);
    const rows = await this.reads.arrays<CaseListValues>(sql, params, ISO_INSTANTS);
    // Always one row at least (the total's); an empty page's is all null but the total.
    return { rows: rows[0][0] === null ? [] : rows.map(caseListRowOf), total: rows[0][LIST_TOTAL_AT] };
  }

  /**
   * The same page and total as listPageAndTotal, as two statements on two connections at once:
   * the answer comes after the slower of the two instead of after both. For a search on an
   * otherwise idle instance, whose count can take as long as its page (CasesService.list).
   */
  async listPageAndTotalApart(page: CaseWhere, limit: number, offset: number, total: CaseWhere): Promise<{ rows: CaseListRow[]; total: number }> {
    const [rows, [{ total: count }]] = await Promise.all([
      this.reads.arrays<CaseListValues>(listPageSql(CASE_LIST_SELECT, page), [...page.params, limit, offset], ISO_INSTANTS),
      this.reads.rows<{ total: number }>(total.where, total.params),
    ]);
    return { rows: rows.map(caseListRowOf), total: count };
  }

  /** The common grams of the search index with the share of the cases holding each (SEARCH_GRAM_SHARES_SQL). */
  async searchGramShares(): Promise<Map<string, number>> {
    return gramShares(await this.db.query(SEARCH_GRAM_SHARES_SQL));
  }


  /** Sessions, agreement with installments and confirmation in one round trip. */
  async records(caseId: string): Promise<CaseRecords> {
    const [related] = await this.reads.rows<unknown>(CASE_RECORDS_SQL, [caseId]);
    return reviveDates(related) as CaseRecords;
  }

  /**
   * The active mediators of a workstation: those whose roster specialties include the dispute
   * type first, then by open caseload, experience with the type, cases concluded.
   */
  mediatorCaseloads(workstationId: string, disputeType: DisputeType): Promise<MediatorCaseload[]> {
    return this.db.query(
      `SELECT u.id, u.display_name,
              coalesce($2 = ANY(p.specialties), false) AS specialist,
              coalesce(p.specialties, '{}')::text[] AS specialties,
              coalesce(p.invited, false) AS invited,
              count(k.id) FILTER (WHERE k.status = ANY($3::varchar[]))::int AS open_cases,
              count(k.id) FILTER (WHERE k.dispute_type = $2 AND k.status = ANY($4::varchar[]))::int AS same_type_cases,
              count(k.id) FILTER (WHERE k.status = ANY($4::varchar[]))::int AS concluded_cases
         FROM users u
         LEFT JOIN mediator_profiles p ON p.user_id = u.id
         LEFT JOIN cases k ON k.mediator_id = u.id
        WHERE u.workstation_id = $1 AND u.role = 'mediator' AND u.active
        GROUP BY u.id, u.display_name, p.specialties, p.invited
        ORDER BY specialist DESC, open_cases ASC, same_type_cases DESC, concluded_cases DESC, u.display_name ASC`,
      [workstationId, disputeType, OPEN_STATUSES, CONCLUDED_STATUSES],
    );
  }
}
