import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AuthUser } from '../accounts-core/auth-user';
import { Role } from '../accounts-core/role.enum';
import { visibleWorkstationId } from '../accounts-core/scope';
import { shanghaiDate } from '../common/business-time';
import { DISPUTE_TYPES } from '../case-core/case-lifecycle';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors/domain-error';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { BreakdownDimension, BreakdownQuery, RecomputeStatsDto, StatsPeriodQuery, TimeseriesQuery } from './dto/stats.query';
import { RecomputeAcceptedDto, StatsBreakdownDto, StatsBreakdownRowDto, StatsSummaryDto, StatsTimeseriesDto } from './dto/stats.response';
import { answerFigures, answerPoint, answerSummary, Figures, RawFigures, ZERO_FIGURES } from './stats-figures';
import { monthsOf, Period, requestedPeriod, validatePeriod } from './stats-periods';
import { StatsAnswerParts, StatsGrouping, StatsRepository, StatsScope } from './stats.repository';

/** How long a recompute request waits for the queue before answering that it is unavailable. */
export const QUEUE_ANSWER_MS = 1500;

/** The queue (Redis) did not take the job in time; the controller answers 503. */
export class StatsQueueUnavailableError extends Error {
  constructor() {
    super('The job queue is unavailable; try again shortly');
    this.name = 'StatsQueueUnavailableError';
  }
}

export { MAX_PERIOD_DAYS, monthsOf, periodDays, validatePeriod } from './stats-periods';

/**
 * Statistics over a period and a scope (DESIGN.md "Statistics"). Admins and city-level union
 * staff see every workstation (or one they name); workstation staff and court clerks their
 * workstation (another one is a 404); mediators the figures of their own cases.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly clock: Clock,
    @InjectQueue(QueueName.Stats) private readonly queue: Queue,
  ) {}

  async summary(user: AuthUser, query: StatsPeriodQuery): Promise<StatsSummaryDto> {
    const period = this.period(query);
    const { scope, parts } = this.answerParts(user, query.workstationId, period, 'none');
    const { figures, overdue, consultations } = await parts;
    return answerSummary(period, scope, figures.get('') ?? ZERO_FIGURES, consultations.get('') ?? 0, overdue.get('') ?? 0);
  }

  async timeseries(user: AuthUser, query: TimeseriesQuery): Promise<StatsTimeseriesDto> {
    const period = this.period(query);
    const { scope, parts } = this.answerParts(user, query.workstationId, period, 'month');
    const { figures, consultations } = await parts;
    const points = monthsOf(period).map((m) => answerPoint(m, figures.get(m.month) ?? ZERO_FIGURES, consultations.get(m.month) ?? 0));
    return { interval: query.interval ?? 'month', ...period, ...scope, points };
  }

  async breakdown(user: AuthUser, query: BreakdownQuery): Promise<StatsBreakdownDto> {
    const period = this.period(query);
    const { scope, parts } = this.answerParts(user, query.workstationId, period, query.by);
    const { figures, overdue, consultations } = await parts;
    const labels = await this.rowLabels(query.by, scope, new Set([...figures.keys(), ...overdue.keys()]));
    // Object.assign rather than `{ ...label, ...figures, overdueOpen }` (the same keys in the same
    // order): V8 took some 17 µs to build each row spread together, 0.5 µs assigned (issue 17).
    const rows: StatsBreakdownRowDto[] = labels.map(({ key, label }) => Object.assign({}, label, this.figuresOf(figures.get(key), consultations.get(key)), { overdueOpen: overdue.get(key) ?? 0 }));
    return { by: query.by, ...period, ...scope, rows };
  }

  /** Queues the recomputation of the snapshots of a period; the same request while queued is the same job. */
  async requestRecompute(user: AuthUser, dto: RecomputeStatsDto): Promise<RecomputeAcceptedDto> {
    const period = validatePeriod({ from: dto.from, to: dto.to });
    await this.scope(user, dto.workstationId);
    const payload: JobPayloads[JobName.RecomputeStats] = { ...period, workstationId: dto.workstationId ?? null };
    const jobId = `${JobName.RecomputeStats}_${period.from}_${period.to}_${dto.workstationId ?? 'all'}`;
    // With Redis down, BullMQ waits for it indefinitely: answer promptly instead. If Redis comes
    // back later the pending add still lands, which is harmless (same job id, idempotent job).
    let timer: NodeJS.Timeout | undefined;
    const unavailable = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StatsQueueUnavailableError()), QUEUE_ANSWER_MS);
    });
    try {
      await Promise.race([this.queue.add(JobName.RecomputeStats, payload, { jobId }), unavailable]);
    } finally {
      clearTimeout(timer);
    }
    return { jobId, ...period };
  }

  private period(query: StatsPeriodQuery): Period {
    return validatePeriod(requestedPeriod(query.from, query.to, shanghaiDate(this.clock.now())));
  }

  private async scope(user: AuthUser, workstationId: string | undefined): Promise<StatsScope> {
    const { scope, exists } = this.visibleScope(user, workstationId);
    if (exists && !(await exists)) throw notFound('Workstation');
    return scope;
  }

  /**
   * The scope of a request (404 for a workstation outside the user's), and whether a workstation
   * it names exists (a statement, not yet awaited).
   */
  private visibleScope(user: AuthUser, workstationId: string | undefined): { scope: StatsScope; exists: Promise<boolean> | null } {
    const visible = visibleWorkstationId(user);
    if (visible === undefined) throw notFound('Workstation');
    if (workstationId !== undefined && visible !== null && visible !== workstationId) throw notFound('Workstation');
    const scope = { workstationId: workstationId ?? visible, mediatorId: user.role === Role.Mediator ? user.id : null };
    return { scope, exists: workstationId === undefined ? null : this.stats.workstationExists(workstationId) };
  }

  /**
   * The scope and the statements of an answer. The check that a named workstation exists runs
   * beside the statements instead of before them (one sequential round trip less, issue 17); a
   * workstation that does not exist is still a 404 (its figures, all zero, are dropped), and so
   * is the first failure of the check.
   */
  private answerParts(user: AuthUser, workstationId: string | undefined, period: Period, grouping: StatsGrouping): { scope: StatsScope; parts: Promise<StatsAnswerParts> } {
    const { scope, exists } = this.visibleScope(user, workstationId);
    const parts = this.stats.answerParts(period, scope, grouping);
    if (!exists) return { scope, parts };
    // Handled at once, so that a failure while the check is awaited is not an unhandled rejection.
    parts.catch(() => undefined);
    return {
      scope,
      parts: exists.then((found) => {
        if (!found) throw notFound('Workstation');
        return parts;
      }),
    };
  }

  private figuresOf(raw: RawFigures | undefined, consultations = 0): Figures & { consultations: number } {
    return answerFigures(raw ?? ZERO_FIGURES, consultations);
  }

  /** The rows of a breakdown, in display order, with the key of their figures. */
  private async rowLabels(by: BreakdownDimension, scope: StatsScope, keysWithFigures: Set<string>): Promise<Array<{ key: string; label: Record<string, unknown> }>> {
    if (by === 'disputeType') return DISPUTE_TYPES.map((t) => ({ key: t, label: { disputeType: t } }));

    if (by === 'workstation') {
      const rows = await this.stats.workstations(scope.workstationId);
      return rows.map((w) => ({ key: w.id, label: { workstationId: w.id, code: w.code, name: w.name } }));
    }

    // Mediators of the scope (every one, even without figures) and anyone else who has figures in it.
    const ids = [...keysWithFigures].filter((k) => k !== '');
    const mediators = await this.stats.mediators(scope, ids);
    const rows: Array<{ key: string; label: Record<string, unknown> }> = mediators.map((m) => ({ key: m.id, label: { mediatorId: m.id, displayName: m.display_name } }));
    if (keysWithFigures.has('')) rows.push({ key: '', label: { mediatorId: null, displayName: null } });
    return rows;
  }
}
