import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PgReads } from '../common/pg-reads';
import { endOfShanghaiDay, startOfShanghaiDay } from '../common/business-time';
import { setNewest } from '../common/bounded-map';
import { BatchStatement, keptStatement } from '../common/kept-statements';
import { RawFigures, rawFiguresFromRow, RawFiguresRow } from './stats-figures';
import { Period, uncoveredRuns } from './stats-periods';
import { FINAL_FIGURES, IS_CONCLUDED, IS_RECEIVED, LIVE_CONCLUDED_MEASURES, OPEN_STATUS_LIST, shanghaiMonth } from './stats-sql';

/** Whose figures: one workstation or all (null); one mediator's cases or everyone's (null). */
export interface StatsScope {
  workstationId: string | null;
  mediatorId: string | null;
}

export type StatsGrouping = 'none' | 'month' | 'disputeType' | 'workstation' | 'mediator';

/** The mediator of unassigned cases in the per-mediator snapshots. */
export const NO_MEDIATOR = '00000000-0000-0000-0000-000000000000';

interface GroupKeys {
  /**
   * The key over a snapshot table aliased s, by family; null: not available there. BY_DATE: the
   * key is the month of the date column, so the snapshot part groups by that column and formats
   * the key once per date (MONTH_OF_DATE), not once per row.
   */
  snapshot: {
    disputeType: string | null;
    mediator: string | null;
    workstation: string | null;
  };
  received: string;
  concluded: string;
}

/** The month grouping's key, formatted from a snapshot's date column (once per date, not per row). */
const MONTH_OF_DATE = (date: string) => `to_char(${date}, 'YYYY-MM')`;
const BY_DATE = 'BY_DATE';
const GROUP_KEYS: Record<StatsGrouping, GroupKeys> = {
  none: { snapshot: { disputeType: `''`, mediator: `''`, workstation: `''` }, received: `''`, concluded: `''` },
  month: { snapshot: { disputeType: BY_DATE, mediator: BY_DATE, workstation: BY_DATE }, received: shanghaiMonth('c.received_at'), concluded: shanghaiMonth('c.concluded_at') },
  disputeType: { snapshot: { disputeType: 's.dispute_type', mediator: null, workstation: null }, received: 'c.dispute_type', concluded: 'c.dispute_type' },
  workstation: {
    snapshot: { disputeType: 's.workstation_id::text', mediator: 's.workstation_id::text', workstation: 's.workstation_id::text' },
    received: 'c.workstation_id::text',
    concluded: 'c.workstation_id::text',
  },
  mediator: {
    snapshot: { disputeType: null, mediator: `CASE WHEN s.mediator_id = '${NO_MEDIATOR}' THEN '' ELSE s.mediator_id::text END`, workstation: null },
    received: `coalesce(c.mediator_id::text, '')`,
    concluded: `coalesce(c.mediator_id::text, '')`,
  },
};

type SnapshotFamily = keyof GroupKeys['snapshot'];
const FAMILY_TABLES: Record<SnapshotFamily, { daily: string; monthly: string }> = {
  disputeType: { daily: 'stats_daily', monthly: 'stats_monthly' },
  mediator: { daily: 'stats_daily_mediator', monthly: 'stats_monthly_mediator' },
  workstation: { daily: 'stats_daily_workstation', monthly: 'stats_monthly_workstation' },
};

/**
 * Which snapshot tables answer a query: per mediator (a mediator's figures, breakdowns by
 * mediator), per dispute type (breakdowns by dispute type), else per workstation alone (the
 * fewest rows: the summary, the monthly series, the breakdown by workstation).
 */
interface SnapshotSource {
  daily: string;
  monthly: string;
  /** The key over s, or BY_DATE. */
  key: string;
}

function snapshotSource(grouping: StatsGrouping, scope: StatsScope): SnapshotSource | null {
  const family: SnapshotFamily = grouping === 'mediator' || scope.mediatorId ? 'mediator' : grouping === 'disputeType' ? 'disputeType' : 'workstation';
  const key = GROUP_KEYS[grouping].snapshot[family];
  return key === null ? null : { ...FAMILY_TABLES[family], key };
}

const OVERDUE_KEYS: Record<Exclude<StatsGrouping, 'month'>, string> = {
  none: `''`,
  disputeType: 'c.dispute_type',
  workstation: 'c.workstation_id::text',
  mediator: `coalesce(c.mediator_id::text, '')`,
};

/** Above this many live ranges the live part joins an array of ranges instead of OR-ing them. */
const MAX_OR_RANGES = 48;

interface Coverage {
  /** Months inside the period with a current rollup. */
  months: string[];
  /** Other days of the period with a current daily snapshot. */
  days: string[];
}

/** Open the snapshot in which the coverage and the figures are read (jit off: see figures()). */
const BEGIN_SNAPSHOT = ['BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', 'SET LOCAL jit = off'];

/** The only values a statement sent with others in one text takes as literals, by type. */
const LITERAL_FORMS: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  timestamptz: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
};

/**
 * A value as an SQL literal of `cast` (date, timestamptz, uuid, or an array of one of them), for a
 * statement sent with others in one text, which cannot bind parameters. Only the value's own
 * form gets through (no quote, backslash or brace can), else it throws: the requests' dates are
 * validated calendar dates (PostgreSQL rejects an impossible one such as 2026-02-30, as it did when
 * bound), the instants are toISOString's, the workstations and mediators validated UUIDs.
 */
export function sqlLiteral(value: unknown, cast: string): string {
  const array = cast.endsWith('[]');
  const form = LITERAL_FORMS[array ? cast.slice(0, -2) : cast];
  const values = array && Array.isArray(value) ? value : [value];
  if (!form || (array && !Array.isArray(value)) || !values.every((v) => typeof v === 'string' && form.test(v))) {
    throw new Error(`not a ${cast} literal: ${JSON.stringify(value)}`);
  }
  return array ? `'{${values.join(',')}}'::${cast}` : `'${value as string}'::${cast}`;
}
const dateLiteral = (date: string) => sqlLiteral(date, 'date');

type CoverageRow = { kind: 'month' | 'day'; date: string };
type FiguresRow = RawFiguresRow & { key: string };
const NO_COVERAGE: Coverage = { months: [], days: [] };

/**
 * How figuresSql puts a value into its statement: as a bound parameter (`$n::cast`, the value
 * pushed onto params), or as a literal (sqlLiteral; params stay empty) for a statement sent with
 * others in one text.
 */
type Binder = (params: unknown[], value: unknown, cast: string) => string;
const bound: Binder = (params, value, cast) => `$${params.push(value)}::${cast}`;
const literal: Binder = (_params, value, cast) => sqlLiteral(value, cast);

/**
 * The coverage of a period: its whole months with a current rollup, and its other days with a
 * current daily snapshot. The days are read by index range, month by month, in the months without
 * a rollup only (not all of the period's days, each tested against the months: 1,826 of them over
 * five years, which took 0.9 ms of the summary's time, issue 17).
 */
function coverageSql(period: Period): string {
  const from = dateLiteral(period.from);
  const to = dateLiteral(period.to);
  return `WITH months AS (
         SELECT month FROM stats_snapshot_months WHERE month >= ${from} AND (month + interval '1 month')::date - 1 <= ${to}
       )
       (SELECT 'month' AS kind, to_char(month, 'YYYY-MM-DD') AS date FROM months ORDER BY month)
       UNION ALL
       (SELECT 'day', to_char(d.day, 'YYYY-MM-DD')
        FROM generate_series(date_trunc('month', ${from}::timestamp), ${to}::timestamp, interval '1 month') AS p(month)
        JOIN stats_snapshot_days d ON d.day >= greatest(p.month::date, ${from}) AND d.day < least((p.month + interval '1 month')::date, ${to} + 1)
        WHERE NOT EXISTS (SELECT 1 FROM months m WHERE m.month = p.month::date)
        ORDER BY d.day)`;
}

function coverageOf(rows: CoverageRow[]): Coverage {
  return { months: rows.filter((r) => r.kind === 'month').map((r) => r.date), days: rows.filter((r) => r.kind === 'day').map((r) => r.date) };
}

const sameDates = (a: string[], b: string[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const sameCoverage = (a: Coverage, b: Coverage) => sameDates(a.months, b.months) && sameDates(a.days, b.days);

/** How many periods' last coverage StatsRepository keeps (as its guess of their next). */
const COVERAGE_GUESSES = 64;
/** How many of figures()' statements for a guess it keeps (a few KB each; a period has one per scope and grouping asked). */
const GUESSED_STATEMENTS = 128;

export type { Period } from './stats-periods';

/** The parts of a statistics answer, each by group key ('' without grouping, 'YYYY-MM' by month). */
export interface StatsAnswerParts {
  figures: Map<string, RawFigures>;
  /** Open cases overdue now; empty by month (overdue is not bound to a period). */
  overdue: Map<string, number>;
  consultations: Map<string, number>;
}

/**
 * The statistics reads (every SQL statement of the statistics but the snapshot writes, which are
 * in StatsSnapshotRepository). Figures for a period are the sum of three parts, each day in exactly
 * one: monthly rollups for whole months of the period that are current (stats_snapshot_months),
 * daily snapshots for the other days that are current (stats_snapshot_days), and live counts over
 * `cases` for every remaining day (today, days never snapshotted, days invalidated by a later
 * change). Coverage and snapshots are read in one REPEATABLE READ transaction, so a snapshot
 * written or invalidated meanwhile cannot make a day count twice or not at all.
 */
@Injectable()
export class StatsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reads: PgReads,
  ) {}

  /** The coverage last read for a period ('from..to'), the guess of its next read (figures()). */
  private readonly coverageGuesses = new Map<string, Coverage>();

  /** The statements of figures()' one round trip, by period, grouping and scope, with the guess they were built for. */
  private readonly guessStatements = new Map<string, { guess: Coverage; statements: readonly BatchStatement[] }>();

  /**
   * Every statement of one statistics answer, in parallel: the figures, the open cases overdue now
   * (not for a month-by-month answer) and the consultations. StatsService answers from these, and
   * the bench's floor runs the same, so both send the same SQL for a request.
   */
  async answerParts(period: Period, scope: StatsScope, grouping: StatsGrouping): Promise<StatsAnswerParts> {
    const [figures, overdue, consultations] = await Promise.all([
      this.figures(period, scope, grouping),
      grouping === 'month' ? new Map<string, number>() : this.overdueOpen(scope, grouping),
      this.consultations(period, scope, grouping),
    ]);
    return { figures, overdue, consultations };
  }

  /**
   * The figures, read with their coverage in one REPEATABLE READ snapshot on one connection. The
   * figures' statement is built from the coverage; the coverage changes seldom (a daily run, a
   * late change taking a day out), so the statement built from the period's last coverage is sent
   * with the BEGIN and the coverage in one text: one round trip. If the coverage read there
   * differs, those rows are not used and the figures of the coverage read are asked in a second
   * round trip, in the same snapshot. A period seen for the first time takes the two round trips
   * (BEGIN and coverage, then the figures). Either way the figures answered are those of the
   * coverage read in their own snapshot, so no day counts twice or not at all. The COMMIT goes on
   * while the answer is written (PgReads.readOnlyTransaction). Issue 17: the four sequential round
   * trips (BEGIN, coverage, figures, COMMIT) were most of the statistics' latency. jit off:
   * compiling these short indexed queries would cost more than running them. The coverage and the
   * guessed figures go as kept statements (common/kept-statements.ts): each connection prepares a
   * text once and then runs it by name, so PostgreSQL does not parse, analyse and plan it again at
   * every request (issue 17: that was about 1 ms of the figures' round trip, with the same plans).
   */
  async figures(period: Period, scope: StatsScope, grouping: StatsGrouping): Promise<Map<string, RawFigures>> {
    const source = snapshotSource(grouping, scope);
    const keys = GROUP_KEYS[grouping];
    const rows = await this.reads.readOnlyTransaction(async (query, batch) => {
      if (!source) {
        await batch(BEGIN_SNAPSHOT);
        return query<FiguresRow>(...this.figuresSql(period, scope, keys, source, NO_COVERAGE, bound));
      }
      const periodKey = `${period.from}..${period.to}`;
      const guess = this.coverageGuesses.get(periodKey);
      const results = await batch(guess ? this.guessedStatements(periodKey, period, scope, grouping, guess) : [...BEGIN_SNAPSHOT, keptStatement(coverageSql(period))]);
      const coverage = coverageOf(results[BEGIN_SNAPSHOT.length] as CoverageRow[]);
      if (guess && sameCoverage(coverage, guess)) return results[BEGIN_SNAPSHOT.length + 1] as FiguresRow[];
      this.rememberCoverage(periodKey, coverage);
      return query<FiguresRow>(...this.figuresSql(period, scope, keys, source, coverage, bound));
    });
    const result = new Map<string, RawFigures>();
    for (const row of rows) result.set(row.key, rawFiguresFromRow(row));
    return result;
  }

  /**
   * The one round trip of figures() for a guessed coverage: BEGIN, the coverage, and the figures of
   * the guess as literals. Built once per guess (a period's new coverage is a new guess) and kept,
   * by period, scope and grouping: building them every request (the period's uncovered days, each
   * literal checked) cost the statistics some 20-30 µs and a few KB of garbage
   * a request (issue 17). The figures' SQL is the same text it was; it and the coverage are
   * kept statements (prepared once per connection, then sent as EXECUTE).
   */
  private guessedStatements(periodKey: string, period: Period, scope: StatsScope, grouping: StatsGrouping, guess: Coverage): readonly BatchStatement[] {
    const key = `${periodKey} ${grouping} ${scope.workstationId ?? ''} ${scope.mediatorId ?? ''}`;
    const built = this.guessStatements.get(key);
    if (built?.guess === guess) return built.statements;
    const figures = this.figuresSql(period, scope, GROUP_KEYS[grouping], snapshotSource(grouping, scope), guess, literal)[0];
    const statements = [...BEGIN_SNAPSHOT, keptStatement(coverageSql(period)), keptStatement(figures)];
    setNewest(this.guessStatements, key, { guess, statements }, GUESSED_STATEMENTS);
    return statements;
  }

  private rememberCoverage(periodKey: string, coverage: Coverage): void {
    setNewest(this.coverageGuesses, periodKey, coverage, COVERAGE_GUESSES);
  }

  /** Open cases flagged overdue now (not bound to a period). */
  async overdueOpen(scope: StatsScope, grouping: Exclude<StatsGrouping, 'month'>): Promise<Map<string, number>> {
    const params: unknown[] = [];
    const conditions = [`c.overdue`, `c.status IN ${OPEN_STATUS_LIST}`, ...this.caseScope(scope, (value, cast) => bound(params, value, cast))];
    const rows = await this.reads.rows<{ key: string; n: string }>(
      `SELECT ${OVERDUE_KEYS[grouping]} AS key, count(*) AS n FROM cases c WHERE ${conditions.join(' AND ')} GROUP BY 1`,
      params,
    );
    return new Map(rows.map((r) => [r.key, Number(r.n)]));
  }

  /**
   * Consultations logged in the period (by Shanghai day), per workstation or month; they belong to
   * no dispute type and no mediator (those groupings and a mediator's own figures count none).
   */
  async consultations(period: Period, scope: StatsScope, grouping: StatsGrouping): Promise<Map<string, number>> {
    if (scope.mediatorId || grouping === 'disputeType' || grouping === 'mediator') return new Map();
    const key = grouping === 'month' ? shanghaiMonth('k.consulted_at') : grouping === 'workstation' ? 'k.workstation_id::text' : `''`;
    const params: unknown[] = [startOfShanghaiDay(period.from), endOfShanghaiDay(period.to)];
    let where = 'k.consulted_at >= $1 AND k.consulted_at < $2';
    if (scope.workstationId) where += ` AND k.workstation_id = $${params.push(scope.workstationId)}`;
    const rows = await this.reads.rows<{ key: string; n: string }>(`SELECT ${key} AS key, count(*) AS n FROM consultations k WHERE ${where} GROUP BY 1`, params);
    return new Map(rows.map((r) => [r.key, Number(r.n)]));
  }

  async workstationExists(id: string): Promise<boolean> {
    const rows = await this.reads.rows(`SELECT 1 FROM workstations WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** Every workstation, or the one of the scope, by code. */
  async workstations(workstationId: string | null): Promise<Array<{ id: string; code: string; name: string }>> {
    return this.db.query(`SELECT id, code, name FROM workstations WHERE $1::uuid IS NULL OR id = $1::uuid ORDER BY code`, [workstationId]);
  }

  /** The active mediators of a scope, and the users named in `alsoIds` (mediators with figures there), by name. */
  async mediators(scope: StatsScope, alsoIds: string[]): Promise<Array<{ id: string; display_name: string }>> {
    return this.db.query(
      `SELECT id, display_name FROM users
       WHERE id = ANY($3::uuid[])
          OR (role = 'mediator' AND active AND ($1::uuid IS NULL OR workstation_id = $1::uuid) AND ($2::uuid IS NULL OR id = $2::uuid))
       ORDER BY display_name, id`,
      [scope.workstationId, scope.mediatorId, alsoIds],
    );
  }

  /** The conditions on `cases c` of a scope, its values put in by `bind` (a parameter or a literal). */
  private caseScope(scope: StatsScope, bind: (value: unknown, cast: string) => string): string[] {
    const conditions: string[] = [];
    if (scope.workstationId) conditions.push(`c.workstation_id = ${bind(scope.workstationId, 'uuid')}`);
    if (scope.mediatorId) conditions.push(`c.mediator_id = ${bind(scope.mediatorId, 'uuid')}`);
    return conditions;
  }

  private figuresSql(period: Period, scope: StatsScope, keys: GroupKeys, source: SnapshotSource | null, coverage: Coverage, binder: Binder): [string, unknown[]] {
    const params: unknown[] = [];
    const bind = (value: unknown, cast: string) => binder(params, value, cast);
    const parts: string[] = [];

    const snapshotPart = (table: string, dateColumn: string, dates: string[]) => {
      const conditions = [`s.${dateColumn} = ANY(${bind(dates, 'date[]')})`];
      if (scope.workstationId) conditions.push(`s.workstation_id = ${bind(scope.workstationId, 'uuid')}`);
      if (scope.mediatorId) conditions.push(`s.mediator_id = ${bind(scope.mediatorId, 'uuid')}`);
      const byDate = source!.key === BY_DATE;
      const sums = `${byDate ? `s.${dateColumn}` : source!.key} AS key, sum(s.received) AS received, sum(s.concluded) AS concluded, sum(s.agreements) AS agreements,
               sum(s.failed) AS failed, sum(s.withdrawn) AS withdrawn, sum(s.confirmed) AS confirmed,
               sum(s.court_concluded) AS court_concluded, sum(s.confirmable) AS confirmable,
               sum(s.conclude_seconds) AS conclude_seconds, sum(s.amount_agreed) AS amount_agreed
        FROM ${table} s WHERE ${conditions.join(' AND ')} GROUP BY 1`;
      if (!byDate) return `
        SELECT ${sums}`;
      // By month: grouped by the date column, the key formatted once per date.
      return `
        SELECT ${MONTH_OF_DATE('g.key')} AS key, g.received, g.concluded, g.agreements, g.failed, g.withdrawn, g.confirmed,
               g.court_concluded, g.confirmable, g.conclude_seconds, g.amount_agreed
        FROM (SELECT ${sums}) g`;
    };
    if (source && coverage.months.length) parts.push(snapshotPart(source.monthly, 'month', coverage.months));
    if (source && coverage.days.length) parts.push(snapshotPart(source.daily, 'day', coverage.days));

    const runs = uncoveredRuns(period, coverage.days, coverage.months).map((r) => ({ start: startOfShanghaiDay(r.first).toISOString(), end: endOfShanghaiDay(r.last).toISOString() }));
    if (runs.length) {
      const scopeConditions = this.caseScope(scope, bind).map((c) => ` AND ${c}`).join('');
      // Few ranges: OR-ed constants, so the planner sees each range (bitmap OR of index scans).
      // Many (a fragmented coverage): a join on an array of ranges.
      let from = 'cases c';
      let inRange = (column: string) => `(${runs.map((r) => `(${column} >= ${bind(r.start, 'timestamptz')} AND ${column} < ${bind(r.end, 'timestamptz')})`).join(' OR ')})`;
      if (runs.length > MAX_OR_RANGES) {
        from = `unnest(${bind(runs.map((r) => r.start), 'timestamptz[]')}, ${bind(runs.map((r) => r.end), 'timestamptz[]')}) AS r(start_at, end_at) JOIN cases c ON true`;
        inRange = (column: string) => `${column} >= r.start_at AND ${column} < r.end_at`;
      }
      parts.push(`
        SELECT ${keys.received} AS key, count(*) AS received, 0 AS concluded, 0 AS agreements, 0 AS failed, 0 AS withdrawn,
               0 AS confirmed, 0 AS court_concluded, 0 AS confirmable, 0 AS conclude_seconds, 0 AS amount_agreed
        FROM ${from}
        WHERE ${inRange('c.received_at')} AND ${IS_RECEIVED}${scopeConditions} GROUP BY 1`);
      parts.push(`
        SELECT ${keys.concluded} AS key, 0 AS received, ${LIVE_CONCLUDED_MEASURES}
        FROM ${from}
        WHERE ${inRange('c.concluded_at')} AND ${IS_CONCLUDED}${scopeConditions} GROUP BY 1`);
    }

    if (!parts.length) return [`SELECT NULL::text AS key WHERE false`, []];
    return [`SELECT key, ${FINAL_FIGURES} FROM (${parts.join(' UNION ALL ')}) parts GROUP BY key`, params];
  }
}
