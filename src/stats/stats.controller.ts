import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { Role } from '../auth/role.enum';
import { BreakdownQuery, RecomputeStatsDto, StatsPeriodQuery, TimeseriesQuery } from './dto/stats.query';
import { RecomputeAcceptedDto, StatsBreakdownDto, StatsSummaryDto, StatsTimeseriesDto } from './dto/stats.response';
import { StatsService } from './stats.service';

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
  recompute(@CurrentUser() user: AuthUser, @Body() dto: RecomputeStatsDto) {
    return this.stats.requestRecompute(user, dto);
  }
}
