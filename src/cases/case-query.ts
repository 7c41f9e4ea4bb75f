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
 * How deep a search pages. Past a few hundred matches a search needs another condition, not more
 * pages ("超过 500 条，请增加条件缩小范围"), and counting further is what made a search for one common
 * character slow: collecting 10,001 of the 33,000 cases that hold 张 took 60-200 ms at 1M cases,
 * collecting 501 takes a few (bench `search`).
 */
export const SEARCH_LIST_WINDOW = 500;

/** A search counts its matches only up to here: one more than it pages through, so that the list can say "more than 500". */
export const SEARCH_COUNT_CAP = SEARCH_LIST_WINDOW + 1;

/** The count's limit for a list filter: searches are capped, every other filter is counted exactly. */
export function countCapFor(f: CaseFilterQuery): number | null {
  return f.q ? SEARCH_COUNT_CAP : null;
}

/** How deep the list pages for a filter: a search as deep as it counts. */
export function listWindowFor(f: CaseFilterQuery): number {
  return f.q ? SEARCH_LIST_WINDOW : MAX_LIST_WINDOW;
}

/**
 * How a one- or two-character term is matched. `grams`: through the grams index (the cases holding
 * the term, then ordered or counted), the better way for a rare term (a full name: 0.1% of the cases).
 * `scan`: each field tested with LIKE on the cases a plan walks anyway, newest first for a page, in
 * any order for the capped count, which stops after SEARCH_COUNT_CAP matches: the better way for a
 * common term (张: 3% of the cases), whose page is found after some hundred cases while the grams
 * index would first collect, fetch and sort all 33,000. `grams-alone`: the grams index alone, for a
 * rare term in a workstation's or a mediator's scope: the scope is tested on the term's thousand cases
 * instead of AND-ing the 80,000 entries of the workstation's own index (3-7 times as fast). All exact.
 */
export type ShortTermPlan = 'grams' | 'grams-alone' | 'scan';

/** A short term in at least this share of the cases is paged by `scan`: 20 matches within the newest 4,000 cases. */
export const SCAN_PAGE_SHARE = 0.005;
/**
 * A short term in at least this share of the cases is counted by `scan` when nothing narrows the
 * search to part of the cases (admins, city staff): 501 matches within 25,000 cases, against the grams
 * index's cost, which grows with all the term's cases (20,000 here). In a workstation's or a mediator's
 * scope the walk would fetch their cases one by one across the whole table: the grams index stays.
 */
export const SCAN_COUNT_SHARE = 0.02;

export interface SearchPlans {
  page: ShortTermPlan;
  count: ShortTermPlan;
}

/** The plans for a list whose search term is in `share` of the cases (SearchTermShares). */
export function searchPlansFor(user: AuthUser, f: CaseFilterQuery, share: number): SearchPlans {
  const wholeCity = user.role !== Role.Mediator && visibleWorkstationId(user) === null && !f.workstationId && !f.mediatorId;
  if (shortSearchTerm(f) === null) return { page: 'grams', count: 'grams' };
  if (share < SCAN_PAGE_SHARE) return { page: 'grams-alone', count: 'grams-alone' };
  return { page: 'scan', count: wholeCity && share >= SCAN_COUNT_SHARE ? 'scan' : 'grams' };
}

/** The one- or two-character term of a search that the grams index serves, or null (no search, a case number, a longer term). */
export function shortSearchTerm(f: CaseFilterQuery): string | null {
  return f.q && !CASE_NUMBER_PREFIX.test(f.q) && Array.from(f.q).length <= SHORT_SEARCH_CHARS ? f.q : null;
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
export function buildCaseFilter(user: AuthUser, f: CaseFilterQuery, alias = 'c', shortTermPlan: ShortTermPlan = 'grams'): SqlWhere {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };

  // An id compared as text cannot be looked up in its index: see 'grams-alone'.
  const id = (column: string) => (shortTermPlan === 'grams-alone' && shortSearchTerm(f) !== null ? `${alias}.${column}::text` : `${alias}.${column}`);
  if (user.role === Role.Mediator) conditions.push(`${id('mediator_id')} = ${bind(user.id)}`);
  const scope = visibleWorkstationId(user);
  if (scope === undefined) conditions.push('false');
  else if (scope !== null) conditions.push(`${id('workstation_id')} = ${bind(scope)}`);

  if (f.workstationId) conditions.push(`${id('workstation_id')} = ${bind(f.workstationId)}`);
  if (f.mediatorId) conditions.push(`${id('mediator_id')} = ${bind(f.mediatorId)}`);
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
  else if (f.q && Array.from(f.q).length <= SHORT_SEARCH_CHARS && shortTermPlan === 'scan') {
    // Inside one of the fields, tested field by field (no index: the plan walks the cases it reads
    // anyway). LIKE where case cannot matter (Chinese, digits): ILIKE folds case character by character
    // and costs several times as much in UTF-8.
    const like = f.q.toLowerCase() === f.q.toUpperCase() ? 'LIKE' : 'ILIKE';
    const pattern = bind(`%${escapeLike(f.q)}%`);
    const fields = ['case_number', 'applicant_name', 'respondent_name', 'court_case_number'].map((field) => `${alias}.${field} ${like} ${pattern}`);
    conditions.push(`(${fields.join(' OR ')})`);
  } else if (f.q && Array.from(f.q).length <= SHORT_SEARCH_CHARS) {
    // One or two characters: inside one of the fields (a pair never spans two), from the grams index.
    // The ILIKE, implied by the grams, is there for the plan that walks the newest cases first: it is
    // the cheap test made before the grams are computed for a row (a ~1 µs pattern against ~100 µs).
    const term = bind(f.q);
    conditions.push(`${CASE_GRAMS_EXPR.replaceAll('c.', `${alias}.`)} @> ARRAY[lower(${term}::text)]`);
    conditions.push(`${CASE_SEARCH_EXPR.replaceAll('c.', `${alias}.`)} ILIKE ${bind(`%${escapeLike(f.q)}%`)}`);
  } else if (f.q) conditions.push(`${CASE_SEARCH_EXPR.replaceAll('c.', `${alias}.`)} ILIKE ${bind(`%${escapeLike(f.q)}%`)}`);

  return { where: conditions.length ? conditions.join(' AND ') : 'true', params };
}
