import { Injectable } from '@nestjs/common';
import { AuthUser } from '../accounts-core/auth-user';
import { Clock } from '../common/clock';
import { StatsPeriodQuery } from '../stats/dto/stats.query';
import { StatsBreakdownDto, StatsSummaryDto, StatsTimeseriesDto } from '../stats/dto/stats.response';
import { StatsService } from '../stats/stats.service';
import { DocumentsRepository } from './documents.repository';

/** The statistics report (统计报表) of a period and scope: the figures, the monthly table, the breakdowns. */
export interface StatsReport {
  scopeName: string;
  summary: StatsSummaryDto;
  months: StatsTimeseriesDto;
  byDisputeType: StatsBreakdownDto;
  byMediator: StatsBreakdownDto;
  byWorkstation: StatsBreakdownDto;
  generatedAt: Date;
}

/** Gathers the report from the statistics service (same scope rules and numbers as /stats/*). */
@Injectable()
export class StatsReportService {
  constructor(
    private readonly stats: StatsService,
    private readonly clock: Clock,
    private readonly names: DocumentsRepository,
  ) {}

  async report(user: AuthUser, query: StatsPeriodQuery): Promise<StatsReport> {
    // The summary first: it validates the period and the scope (404 outside it) before the rest runs.
    const summary = await this.stats.summary(user, query);
    const [months, byDisputeType, byMediator, byWorkstation, scopeName] = await Promise.all([
      this.stats.timeseries(user, { ...query, interval: 'month' }),
      this.stats.breakdown(user, { ...query, by: 'disputeType' }),
      this.stats.breakdown(user, { ...query, by: 'mediator' }),
      this.stats.breakdown(user, { ...query, by: 'workstation' }),
      this.scopeName(summary),
    ]);
    return { scopeName, summary, months, byDisputeType, byMediator, byWorkstation, generatedAt: this.clock.now() };
  }

  private async scopeName(summary: StatsSummaryDto): Promise<string> {
    let name = '全部工作室';
    if (summary.workstationId) {
      name = (await this.names.workstationName(summary.workstationId)) ?? name;
    }
    if (summary.mediatorId) {
      name += `（调解员${(await this.names.userDisplayName(summary.mediatorId)) ?? ''}承办的案件）`;
    }
    return name;
  }
}
