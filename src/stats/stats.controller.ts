import { Body, Controller, Get, HttpCode, Post, Query, ServiceUnavailableException } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../accounts-core/auth-user';
import { CurrentUser, Roles } from '../accounts-core/decorators';
import { Role } from '../accounts-core/role.enum';
import { ApiErrors } from '../common/openapi/api-errors';
import { BreakdownQuery, RecomputeStatsDto, StatsPeriodQuery, TimeseriesQuery } from './dto/stats.query';
import { STATS_SUMMARY_SCHEMA, STATS_TIMESERIES_SCHEMA } from './dto/stats-answer.schema';
import { RecomputeAcceptedDto, StatsBreakdownDto, StatsSummaryDto, StatsTimeseriesDto } from './dto/stats.response';
import { StatsQueueUnavailableError, StatsService } from './stats.service';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Statistics of a period',
    description:
      'Cases received and concluded (agreements, failures, withdrawals), confirmations, success rate (agreements / concluded), confirmation rate, ' +
      'average days to conclude and the amount agreed, over a period (Asia/Shanghai days) and your scope or one workstation. Voided cases are in none. ' +
      'Mediators get the figures of their own cases.\n\n统计汇总：受理、办结、调解成功率、司法确认率、协议金额等。',
  })
  @ApiOkResponse({ type: StatsSummaryDto })
  @ApiErrors(400, 401, 404)
  @RouteSchema({ response: { 200: STATS_SUMMARY_SCHEMA } })
  summary(@CurrentUser() user: AuthUser, @Query() query: StatsPeriodQuery) {
    return this.stats.summary(user, query);
  }

  @Get('timeseries')
  @ApiOperation({
    summary: 'Statistics month by month',
    description: 'The figures of the summary for each month of the period (months without cases included).\n\n按月统计。',
  })
  @ApiErrors(400, 401, 404)
  @ApiOkResponse({ type: StatsTimeseriesDto, description: 'one point per month of the period, months without cases included' })
  @RouteSchema({ response: { 200: STATS_TIMESERIES_SCHEMA } })
  timeseries(@CurrentUser() user: AuthUser, @Query() query: TimeseriesQuery) {
    return this.stats.timeseries(user, query);
  }

  @Get('breakdown')
  @ApiOperation({
    summary: 'Statistics broken down by dispute type, mediator or workstation',
    description: 'One row of figures per dispute type, mediator or workstation (the city view side by side).\n\n按纠纷类型、调解员或工作室分类统计。',
  })
  @ApiOkResponse({ type: StatsBreakdownDto })
  @ApiErrors(400, 401, 404)
  breakdown(@CurrentUser() user: AuthUser, @Query() query: BreakdownQuery) {
    return this.stats.breakdown(user, query);
  }

  @Post('recompute')
  @HttpCode(202)
  @Roles(Role.Admin, Role.UnionStaff)
  @ApiOperation({
    summary: 'Recompute the daily statistics snapshots',
    description:
      'Queues a job that recomputes the daily snapshots of the period (days before today; today is always live). The same request while queued is the same job. ' +
      '503 when the job queue (Redis) is unavailable.\n\n重新计算统计快照（异步任务）。',
  })
  @ApiAcceptedResponse({ type: RecomputeAcceptedDto })
  @ApiErrors(400, 401, 403, 404, 503)
  async recompute(@CurrentUser() user: AuthUser, @Body() dto: RecomputeStatsDto) {
    try {
      return await this.stats.requestRecompute(user, dto);
    } catch (e) {
      if (e instanceof StatsQueueUnavailableError) throw new ServiceUnavailableException(e.message);
      throw e;
    }
  }
}
