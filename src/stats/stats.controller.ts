import { Body, Controller, Get, HttpCode, Post, Query, ServiceUnavailableException } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { BreakdownQuery, RecomputeStatsDto, StatsPeriodQuery, TimeseriesQuery } from './dto/stats.query';
import { RecomputeAcceptedDto, StatsBreakdownDto, StatsSummaryDto, StatsTimeseriesDto } from './dto/stats.response';
import { StatsQueueUnavailableError, StatsService } from './stats.service';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('summary')
  @ApiOkResponse({ type: StatsSummaryDto })
  summary(@CurrentUser() user: AuthUser, @Query() query: StatsPeriodQuery) {
    return this.stats.summary(user, query);
  }

  @Get('timeseries')
  @ApiOkResponse({ type: StatsTimeseriesDto, description: 'one point per month of the period, months without cases included' })
  timeseries(@CurrentUser() user: AuthUser, @Query() query: TimeseriesQuery) {
    return this.stats.timeseries(user, query);
  }

  @Get('breakdown')
  @ApiOkResponse({ type: StatsBreakdownDto })
  breakdown(@CurrentUser() user: AuthUser, @Query() query: BreakdownQuery) {
    return this.stats.breakdown(user, query);
  }

  @Post('recompute')
  @HttpCode(202)
  @Roles(Role.Admin, Role.UnionStaff)
  @ApiAcceptedResponse({ type: RecomputeAcceptedDto })
  @ApiServiceUnavailableResponse({ description: 'the job queue (Redis) is unavailable' })
  async recompute(@CurrentUser() user: AuthUser, @Body() dto: RecomputeStatsDto) {
    try {
      return await this.stats.requestRecompute(user, dto);
    } catch (e) {
      if (e instanceof StatsQueueUnavailableError) throw new ServiceUnavailableException(e.message);
      throw e;
    }
  }
}
