/**
 * The SQL that defines each figure, shared by the snapshot writer and the live counts so that
 * both agree by construction. Status lists are the lifecycle's constants inlined as literals
 * (they are code, never input); every input value is bound.
 */
import { AGREEMENT_STATUSES, CONCLUDED_STATUSES, OPEN_STATUSES } from '../case-core/case-lifecycle';

const list = (values: readonly string[]) => `(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;

export const AGREEMENT_STATUS_LIST = list(AGREEMENT_STATUSES);
export const CONCLUDED_STATUS_LIST = list(CONCLUDED_STATUSES);
export const OPEN_STATUS_LIST = list(OPEN_STATUSES);

/**
 * Advisory locks of the snapshots (see the StatsSnapshots and StatsMonthlyRollups migrations):
 * writers of cases take them shared, snapshot and rollup writers exclusively.
 */
export const dayLock = (day: string) => `${22439}, ${day}::date - date '2000-01-01'`;
export const monthLock = (month: string) => `${22440}, (extract(year FROM ${month}::date) * 12 + extract(month FROM ${month}::date) - 1)::int`;

/** The Shanghai calendar day of a timestamptz column. */
export const shanghaiDay = (column: string) => `(${column} AT TIME ZONE 'Asia/Shanghai')::date`;
export const shanghaiMonth = (column: string) => `to_char(${column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;

/**
 * The measures of the cases concluded in a range, over cases `c`, with `agreedAmount` the agreed
 * amount of a case's current agreement (null without one): concluded, agreements, failed,
 * withdrawn, confirmed (agreements judicially confirmed, counted on the day of conclusion),
 * court_concluded (entrusted cases closed by the court), confirmable (agreements that may go to
 * 司法确认: not of an entrusted case), conclude_seconds (sum of receipt-to-conclusion durations) and
 * amount_agreed (sum of the agreed amounts of the agreements), all in SQL numeric. The amount is
 * only asked of the cases with an agreement status (FILTER is tested before the aggregate's argument).
 */
const concludedMeasures = (agreedAmount: string) => `
  count(*) AS concluded,
  count(*) FILTER (WHERE c.status IN ${AGREEMENT_STATUS_LIST}) AS agreements,
  count(*) FILTER (WHERE c.status = 'failed') AS failed,
  count(*) FILTER (WHERE c.status = 'withdrawn') AS withdrawn,
  count(*) FILTER (WHERE c.status = 'confirmed') AS confirmed,
  count(*) FILTER (WHERE c.status = 'court_concluded') AS court_concluded,
  count(*) FILTER (WHERE c.status IN ${AGREEMENT_STATUS_LIST} AND c.source <> 'court_entrusted') AS confirmable,
  coalesce(sum(extract(epoch FROM c.concluded_at - c.received_at)), 0) AS conclude_seconds,
  coalesce(sum(${agreedAmount}) FILTER (WHERE c.status IN ${AGREEMENT_STATUS_LIST}), 0) AS amount_agreed`;

/** The measures over CONCLUDED_FROM (cases joined to their current agreement): the snapshots' days. */
export const CONCLUDED_MEASURES = concludedMeasures('a.agreed_amount');

/**
 * The measures over `cases c` alone, each case's agreed amount looked up by the unique index of
 * current agreements (agreements_case_current_key), for the live part of the figures (today's few
 * hundred concluded cases): only the cases with an agreement status look it up, where the join
 * probed the index for every concluded case, failed and withdrawn ones too (issue 17).
 */
export const LIVE_CONCLUDED_MEASURES = concludedMeasures(`(SELECT a.agreed_amount FROM agreements a WHERE a.case_id = c.id AND a.superseded_at IS NULL)`);

/** A concluded case: its mediation ended (agreement, failure, withdrawal) at `concluded_at`. */
export const IS_CONCLUDED = `c.status IN ${CONCLUDED_STATUS_LIST} AND c.concluded_at IS NOT NULL`;

export const CONCLUDED_FROM = `cases c LEFT JOIN agreements a ON a.case_id = c.id AND a.superseded_at IS NULL`;

/** Received cases: every case but a voided entry (a mistaken entry is not a case). */
export const IS_RECEIVED = `c.status <> 'voided'`;

/** Raw sums -> the figures' columns (used on top of snapshot rows and live parts alike). */
export const FINAL_FIGURES = `
  sum(received) AS received,
  sum(concluded) AS concluded,
  sum(agreements) AS agreements,
  sum(failed) AS failed,
  sum(withdrawn) AS withdrawn,
  sum(confirmed) AS confirmed,
  sum(court_concluded) AS court_concluded,
  sum(confirmable) AS confirmable,
  round(sum(conclude_seconds) / nullif(86400 * sum(concluded), 0), 1)::text AS avg_days,
  sum(amount_agreed)::numeric(18,2)::text AS amount_agreed`;
