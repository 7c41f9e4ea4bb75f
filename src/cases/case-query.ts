import { AuthUser } from '../accounts-core/auth-user';
import { Role } from '../accounts-core/role.enum';
import { visibleWorkstationId } from '../accounts-core/scope';
import { endOfShanghaiDay, startOfShanghaiDay } from '../common/business-time';
import type { HeavyReadKind } from '../heavy-reads/heavy-reads';
import { CaseFilterQuery } from './dto/list-cases.query';

/** The searchable text of a case; the same expression backs the trigram index cases_search_trgm_idx. */
export const CASE_SEARCH_EXPR = `(c.case_number || ' ' || c.applicant_name || ' ' || c.respondent_name || ' ' || coalesce(c.court_case_number, ''))`;

/**
 * The characters and pairs of adjacent characters inside each searchable field (migration
 * CaseSearchBigrams); the same expression backs the GIN index cases_search_grams_idx.
 */
export const CASE_GRAMS_EXPR = `case_search_grams(c.case_number, c.applicant_name, c.respondent_name, c.court_case_number)`;

/** Terms up to this many characters are looked up in the grams index (trigrams need three). */
export const SHORT_SEARCH_CHARS = 2;

export interface SqlWhere {
  /** `WHERE ...` conditions joined by AND (always at least one), using $1..$n. */
  where: string;
  params: unknown[];
}

/** How deep the list pages (offset + pageSize); beyond it the filters or the CSV export serve better. */
export const MAX_LIST_WINDOW = 10_000;

/**
 * A search counts its matches only up to here: a list pages through MAX_LIST_WINDOW cases at most, so
 * "more than 10,000" is all a person can use, and counting every case that holds one common character
 * (张: tens of thousands at a province's scale) would cost the whole search.
 */
export const SEARCH_COUNT_CAP = MAX_LIST_WINDOW + 1;

/** The count's limit for a list filter: searches are capped, every other filter is counted exactly. */
export function countCapFor(f: CaseFilterQuery): number | null {
  return f.q ? SEARCH_COUNT_CAP : null;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** `WS01-2026-0000`: a search that is (the start of) a case number looks the number up by prefix. */
export const CASE_NUMBER_PREFIX = /^[A-Za-z0-9][A-Za-z0-9-]*-\d{4}(-\d{0,6})?$/;

/**
 * Whether the list's total can come from `case_counts` (per workstation, status and dispute type)
 * instead of counting rows: true when no other filter narrows the list.
 */
export function countableFromCounters(user: AuthUser, f: CaseFilterQuery): boolean {
  return user.role !== Role.Mediator && !f.mediatorId && f.overdue === undefined && !f.q && !f.receivedFrom && !f.receivedTo;
}

/** The total from `case_counts` for a list that `countableFromCounters` accepts. */
export function buildCounterTotal(user: AuthUser, f: CaseFilterQuery): SqlWhere {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const scope = visibleWorkstationId(user);
  if (scope === undefined) conditions.push('false');
  else if (scope !== null) conditions.push(`workstation_id = ${bind(scope)}`);
  if (f.workstationId) conditions.push(`workstation_id = ${bind(f.workstationId)}`);
  if (f.status?.length) conditions.push(`status = ANY(${bind(f.status)}::varchar[])`);
  if (f.disputeType) conditions.push(`dispute_type = ${bind(f.disputeType)}`);
  return { where: conditions.length ? conditions.join(' AND ') : 'true', params };
}

/**
 * The case list is a heavy read (src/heavy-reads) when it searches, except for a case number or its
 * start, which is one index lookup.
 */
export function listHeavyRead(query: Record<string, unknown>): HeavyReadKind | null {
  return typeof query.q === 'string' && query.q !== '' && !CASE_NUMBER_PREFIX.test(query.q) ? 'search' : null;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * The WHERE clause of the case list and export: the user's scope first (mediators: assigned to
 * them; clerks and workstation staff: their workstation), then the filters. Every value is bound.
 */
export function buildCaseFilter(user: AuthUser, f: CaseFilterQuery, alias = 'c'): SqlWhere {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };

  if (user.role === Role.Mediator) conditions.push(`${alias}.mediator_id = ${bind(user.id)}`);
  const scope = visibleWorkstationId(user);
  if (scope === undefined) conditions.push('false');
  else if (scope !== null) conditions.push(`${alias}.workstation_id = ${bind(scope)}`);

  if (f.workstationId) conditions.push(`${alias}.workstation_id = ${bind(f.workstationId)}`);
  if (f.mediatorId) conditions.push(`${alias}.mediator_id = ${bind(f.mediatorId)}`);
  if (f.status?.length === 1) conditions.push(`${alias}.status = ${bind(f.status[0])}`);
  else if (f.status?.length) conditions.push(`${alias}.status = ANY(${bind(f.status)}::varchar[])`);
  if (f.disputeType) conditions.push(`${alias}.dispute_type = ${bind(f.disputeType)}`);
  if (f.overdue !== undefined) conditions.push(f.overdue ? `${alias}.overdue` : `NOT ${alias}.overdue`);
  if (f.receivedFrom) {
    const from = DATE_ONLY.test(f.receivedFrom) ? startOfShanghaiDay(f.receivedFrom) : new Date(f.receivedFrom);
    conditions.push(`${alias}.received_at >= ${bind(from)}`);
  }
  if (f.receivedTo) {
    const to = DATE_ONLY.test(f.receivedTo) ? endOfShanghaiDay(f.receivedTo) : new Date(f.receivedTo);
    conditions.push(`${alias}.received_at < ${bind(to)}`);
  }
  if (f.q && CASE_NUMBER_PREFIX.test(f.q)) conditions.push(`${alias}.case_number LIKE ${bind(`${escapeLike(f.q.toUpperCase())}%`)}`);
  else if (f.q && Array.from(f.q).length <= SHORT_SEARCH_CHARS) {
    // One or two characters: inside one of the fields (a pair never spans two), from the grams index.
    // The ILIKE, implied by the grams, is there for the plan that walks the newest cases first: it is
    // the cheap test made before the grams are computed for a row (a ~1 µs pattern against ~100 µs).
    const term = bind(f.q);
    conditions.push(`${CASE_GRAMS_EXPR.replaceAll('c.', `${alias}.`)} @> ARRAY[lower(${term}::text)]`);
    conditions.push(`${CASE_SEARCH_EXPR.replaceAll('c.', `${alias}.`)} ILIKE ${bind(`%${escapeLike(f.q)}%`)}`);
  } else if (f.q) conditions.push(`${CASE_SEARCH_EXPR.replaceAll('c.', `${alias}.`)} ILIKE ${bind(`%${escapeLike(f.q)}%`)}`);

  return { where: conditions.length ? conditions.join(' AND ') : 'true', params };
}
