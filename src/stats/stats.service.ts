import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role.enum';
import { visibleWorkstationId } from '../auth/scope';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../common/business-time';
import { DISPUTE_TYPES } from '../case-core/case-lifecycle';
import { Clock } from '../common/clock';
import { invalidInput, notFound } from '../common/errors/domain-error';
import { JobName, JobPayloads, QueueName } from '../queue/queue-names';
import { BreakdownDimension, BreakdownQuery, RecomputeStatsDto, StatsPeriodQuery, TimeseriesQuery } from './dto/stats.query';
import { RecomputeAcceptedDto, StatsBreakdownDto, StatsBreakdownRowDto, StatsSummaryDto, StatsTimeseriesDto } from './dto/stats.response';
import { deriveFigures, Figures, RawFigures, ZERO_FIGURES } from './stats-figures';
import { Period, StatsQueries, StatsScope } from './stats-queries';

/** How long a recompute request waits for the queue before answering that it is unavailable. */
export const QUEUE_ANSWER_MS = 1500;

/** The queue (Redis) did not take the job in time; the controller answers 503. */
export class StatsQueueUnavailableError extends Error {
  constructor() {
    super('The job queue is unavailable; try again shortly');
    this.name = 'StatsQueueUnavailableError';
  }
}

/** The longest period a statistics request may cover (ten years and a bit). */
export const MAX_PERIOD_DAYS = 3700;

const DAY_MS = 24 * 3600 * 1000;

export function periodDays(period: Period): number {
  return Math.round((startOfShanghaiDay(period.to).getTime() - startOfShanghaiDay(period.from).getTime()) / DAY_MS) + 1;
}

export function validatePeriod(period: Period): Period {
  if (period.from > period.to) throw invalidInput('from must not be after to', { field: 'from' });
  if (periodDays(period) > MAX_PERIOD_DAYS) {
    throw invalidInput(`the period may cover at most ${MAX_PERIOD_DAYS} days`, { field: 'from' });
  }
  return period;
}

/** The months of a period, each clipped to the period. */
export function monthsOf(period: Period): Array<{ month: string; from: string; to: string }> {
  const months: Array<{ month: string; from: string; to: string }> = [];
  let start = period.from;
  while (start <= period.to) {
    const [y, m] = start.split('-').map(Number);
    const nextMonth = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    const end = addDays(nextMonth, -1) < period.to ? addDays(nextMonth, -1) : period.to;
    months.push({ month: start.slice(0, 7), from: start, to: end });
    start = nextMonth;
  }
  return months;
}

/**
 * Statistics over a period and a scope (DESIGN.md "Statistics"). Admins and city-level union
 * staff see every workstation (or one they name); workstation staff and court clerks their
 * workstation (another one is a 404); mediators the figures of their own cases.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly queries: StatsQueries,
    private readonly clock: Clock,
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Stats) private readonly queue: Queue,
  ) {}

  async summary(user: AuthUser, query: StatsPeriodQuery): Promise<StatsSummaryDto> {
    const period = this.period(query);
    const scope = await this.scope(user, query.workstationId);
    const [figures, overdue, consultations] = await Promise.all([
      this.queries.figures(period, scope, 'none'),
      this.queries.overdueOpen(scope, 'none'),
      this.queries.consultations(period, scope, 'none'),
    ]);
    return { ...period, ...scope, ...this.figuresOf(figures.get(''), consultations.get('')), overdueOpen: overdue.get('') ?? 0 };
  }

  async timeseries(user: AuthUser, query: TimeseriesQuery): Promise<StatsTimeseriesDto> {
    const period = this.period(query);
    const scope = await this.scope(user, query.workstationId);
    const [figures, consultations] = await Promise.all([this.queries.figures(period, scope, 'month'), this.queries.consultations(period, scope, 'month')]);
    const points = monthsOf(period).map((m) => ({ ...m, ...this.figuresOf(figures.get(m.month), consultations.get(m.month)) }));
    return { interval: query.interval ?? 'month', ...period, ...scope, points };
  }

  async breakdown(user: AuthUser, query: BreakdownQuery): Promise<StatsBreakdownDto> {
    const period = this.period(query);
    const scope = await this.scope(user, query.workstationId);
    const [figures, overdue, consultations] = await Promise.all([
      this.queries.figures(period, scope, query.by),
      this.queries.overdueOpen(scope, query.by),
      this.queries.consultations(period, scope, query.by),
    ]);
    const labels = await this.rowLabels(query.by, scope, new Set([...figures.keys(), ...overdue.keys()]));
    const rows: StatsBreakdownRowDto[] = labels.map(({ key, label }) => ({ ...label, ...this.figuresOf(figures.get(key), consultations.get(key)), overdueOpen: overdue.get(key) ?? 0 }));
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
    const to = query.to ?? shanghaiDate(this.clock.now());
    const from = query.from ?? `${to.slice(0, 4)}-01-01`;
    return validatePeriod({ from, to });
  }

  private async scope(user: AuthUser, workstationId: string | undefined): Promise<StatsScope> {
    const visible = visibleWorkstationId(user);
    if (visible === undefined) throw notFound('Workstation');
    if (workstationId !== undefined) {
      if (visible !== null && visible !== workstationId) throw notFound('Workstation');
      const [exists] = await this.db.query(`SELECT 1 FROM workstations WHERE id = $1`, [workstationId]);
      if (!exists) throw notFound('Workstation');
    }
    return { workstationId: workstationId ?? visible, mediatorId: user.role === Role.Mediator ? user.id : null };
  }

  private figuresOf(raw: RawFigures | undefined, consultations = 0): Figures & { consultations: number } {
    return { ...deriveFigures(raw ?? ZERO_FIGURES), consultations };
  }

  /** The rows of a breakdown, in display order, with the key of their figures. */
  private async rowLabels(by: BreakdownDimension, scope: StatsScope, keysWithFigures: Set<string>): Promise<Array<{ key: string; label: Record<string, unknown> }>> {
    if (by === 'disputeType') return DISPUTE_TYPES.map((t) => ({ key: t, label: { disputeType: t } }));

    if (by === 'workstation') {
      const rows: Array<{ id: string; code: string; name: string }> = await this.db.query(
        `SELECT id, code, name FROM workstations WHERE $1::uuid IS NULL OR id = $1::uuid ORDER BY code`,
        [scope.workstationId],
      );
      return rows.map((w) => ({ key: w.id, label: { workstationId: w.id, code: w.code, name: w.name } }));
    }

    // Mediators of the scope (every one, even without figures) and anyone else who has figures in it.
    const ids = [...keysWithFigures].filter((k) => k !== '');
    const mediators: Array<{ id: string; display_name: string }> = await this.db.query(
      `SELECT id, display_name FROM users
       WHERE id = ANY($3::uuid[])
          OR (role = 'mediator' AND active AND ($1::uuid IS NULL OR workstation_id = $1::uuid) AND ($2::uuid IS NULL OR id = $2::uuid))
       ORDER BY display_name, id`,
      [scope.workstationId, scope.mediatorId, ids],
    );
    const rows: Array<{ key: string; label: Record<string, unknown> }> = mediators.map((m) => ({ key: m.id, label: { mediatorId: m.id, displayName: m.display_name } }));
    if (keysWithFigures.has('')) rows.push({ key: '', label: { mediatorId: null, displayName: null } });
    return rows;
  }
}
