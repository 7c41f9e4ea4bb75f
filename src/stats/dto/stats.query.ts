import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, isIn, IsOptional, IsUUID, isUUID, ValidateBy, ValidationOptions } from 'class-validator';
import { isValidCalendarDate } from '../../common/business-time';
import { acceptQuickly, QuickParams } from '../../common/validation';

/** A calendar date 'YYYY-MM-DD' (Asia/Shanghai). */
export function IsCalendarDate(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isValidCalendarDate(value),
        defaultMessage: () => '$property must be a calendar date such as 2026-01-31',
      },
    },
    options,
  );
}

export class StatsPeriodQuery {
  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-01-01', description: 'first day, Asia/Shanghai (default: 1 January of the year of `to`)' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-12-31', description: 'last day, inclusive, Asia/Shanghai (default: today)' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'one workstation (default: every workstation you can see)' })
  @IsOptional()
  @IsUUID()
  workstationId?: string;

  /**
   * The validation pipe's quick path (QuicklyAccepted, src/common/validation.ts; issue 17: the full
   * validation cost 12-17 µs of CPU a statistics request): the query as the decorators above would
   * give it, when every parameter is one of them, given once, and valid by the same checks; else
   * undefined, and the full validation decides (and words the error).
   */
  static accept(input: unknown): StatsPeriodQuery | undefined {
    return acceptQuickly(new StatsPeriodQuery(), PERIOD_PARAMS, input);
  }
}

const calendarDate = (v: string) => (isValidCalendarDate(v) ? v : undefined);
const PERIOD_PARAMS: QuickParams<StatsPeriodQuery> = {
  from: calendarDate,
  to: calendarDate,
  workstationId: (v) => (isUUID(v) ? v : undefined),
};


export const STATS_INTERVALS = ['month'] as const;

export class TimeseriesQuery extends StatsPeriodQuery {
  @ApiPropertyOptional({ enum: STATS_INTERVALS, default: 'month' })
  @IsOptional()
  @IsIn(STATS_INTERVALS)
  interval?: (typeof STATS_INTERVALS)[number];

  /** As StatsPeriodQuery.accept, with `interval`. */
  static override accept(input: unknown): TimeseriesQuery | undefined {
    return acceptQuickly(new TimeseriesQuery(), TIMESERIES_PARAMS, input);
  }
}

const TIMESERIES_PARAMS: QuickParams<TimeseriesQuery> = {
  ...PERIOD_PARAMS,
  interval: (v) => (isIn(v, STATS_INTERVALS) ? (v as TimeseriesQuery['interval']) : undefined),
};

export const BREAKDOWN_DIMENSIONS = ['disputeType', 'mediator', 'workstation'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export class BreakdownQuery extends StatsPeriodQuery {
  @ApiProperty({ enum: BREAKDOWN_DIMENSIONS })
  @IsIn(BREAKDOWN_DIMENSIONS)
  by: BreakdownDimension;
}

export class RecomputeStatsDto {
  @ApiProperty({ type: String, format: 'date', example: '2026-01-01' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-01-31', description: 'inclusive; days from today on are always counted live and are skipped' })
  @IsCalendarDate()
  to: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'must be a workstation you can see; snapshots are written per day for all workstations' })
  @IsOptional()
  @IsUUID()
  workstationId?: string;
}
