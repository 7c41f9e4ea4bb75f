import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Swagger shapes of the statistics answers (the service returns plain objects of these shapes). */
export class StatsFiguresDto {
  @ApiProperty({ description: 'cases received in the period (voided entries count in no figure)' }) received: number;
  @ApiProperty({ description: 'cases whose mediation ended in the period (agreement, failure, withdrawal)' }) concluded: number;
  @ApiProperty({ description: 'concluded with an agreement' }) agreements: number;
  @ApiProperty() failed: number;
  @ApiProperty() withdrawn: number;
  @ApiProperty({ description: 'agreements judicially confirmed, counted in the period of their conclusion' }) confirmed: number;
  @ApiProperty({ description: "entrusted cases closed by the court's 民事调解书 or a withdrawal, counted in the period of their conclusion" }) courtConcluded: number;
  @ApiProperty({ description: 'agreements that may be judicially confirmed (not of an entrusted case)' }) confirmable: number;
  @ApiProperty({ description: 'consultations logged in the period (window, hotline, visit); none in a dispute-type or mediator breakdown' }) consultations: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.6721, description: 'agreements / concluded, 4 decimals' }) successRate: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 1, description: 'confirmed / agreements that may be confirmed, 4 decimals' }) confirmationRate: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 12.4, description: 'mean days from receipt to conclusion, 1 decimal' })
  avgDaysToConclude: number | null;
  @ApiProperty({ example: '1234567.00', description: 'sum of the agreed amounts, exact decimal (yuan)' }) amountAgreed: string;
}

export class StatsSummaryDto extends StatsFiguresDto {
  @ApiProperty({ example: '2026-01-01' }) from: string;
  @ApiProperty({ example: '2026-12-31' }) to: string;
  @ApiProperty({ type: String, nullable: true, description: 'null: every workstation in your scope' }) workstationId: string | null;
  @ApiProperty({ type: String, nullable: true, description: "set for mediators: their own cases' figures" }) mediatorId: string | null;
  @ApiProperty({ description: 'open cases flagged overdue now (not bound to the period)' }) overdueOpen: number;
}

export class StatsPointDto extends StatsFiguresDto {
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty({ example: '2026-03-01', description: 'first day of the month within the period' }) from: string;
  @ApiProperty({ example: '2026-03-31', description: 'last day of the month within the period' }) to: string;
}

export class StatsTimeseriesDto {
  @ApiProperty({ example: 'month' }) interval: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: String, nullable: true }) workstationId: string | null;
  @ApiProperty({ type: String, nullable: true }) mediatorId: string | null;
  @ApiProperty({ type: [StatsPointDto] }) points: StatsPointDto[];
}

export class StatsBreakdownRowDto extends StatsFiguresDto {
  @ApiPropertyOptional({ description: 'by=disputeType' }) disputeType?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'by=mediator (null: not assigned)' }) mediatorId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'by=mediator' }) displayName?: string | null;
  @ApiPropertyOptional({ description: 'by=workstation' }) workstationId?: string;
  @ApiPropertyOptional({ description: 'by=workstation' }) code?: string;
  @ApiPropertyOptional({ description: 'by=workstation' }) name?: string;
  @ApiProperty({ description: 'open cases of the row flagged overdue now' }) overdueOpen: number;
}

export class StatsBreakdownDto {
  @ApiProperty({ enum: ['disputeType', 'mediator', 'workstation'] }) by: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: String, nullable: true }) workstationId: string | null;
  @ApiProperty({ type: String, nullable: true }) mediatorId: string | null;
  @ApiProperty({ type: [StatsBreakdownRowDto] }) rows: StatsBreakdownRowDto[];
}

export class RecomputeAcceptedDto {
  @ApiProperty({ example: 'recompute-stats_2026-01-01_2026-01-31_all', description: 'deterministic: the same request while queued is the same job' })
  jobId: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
}
