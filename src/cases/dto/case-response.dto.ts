import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_ACTIONS, CASE_SOURCES, CASE_STATUSES, DISPUTE_TYPES } from '../case-lifecycle';

export class AgentResponseDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) relation: string | null;
}

export class PartyResponseDto {
  @ApiProperty({ enum: ['worker', 'employer'] }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true, description: 'masked (420***********1234) unless the viewer may see it whole' }) idNumber: string | null;
  @ApiProperty({ type: String, nullable: true }) creditCode: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true, description: '送达地址' }) address: string | null;
  @ApiProperty({ type: AgentResponseDto, nullable: true }) agent: AgentResponseDto | null;
}

export class RepresentativeResponseDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
}

export class CourtOutcomeResponseDto {
  @ApiProperty({ enum: ['mediation_document', 'suit_withdrawn'] }) outcome: string;
  @ApiProperty({ type: String, nullable: true }) documentNumber: string | null;
  @ApiProperty({ example: '2026-11-20' }) date: string;
}

/** A case as the API answers it after an action (GET /cases/:id adds sessions, agreement, confirmation and allowedActions). */
export class CaseResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'WH-JA-2026-000042', description: 'a voided case keeps its number (shown as 作废)' }) caseNumber: string;
  @ApiProperty({ format: 'uuid' }) workstationId: string;
  @ApiProperty({ enum: CASE_SOURCES }) source: string;
  @ApiProperty({ enum: DISPUTE_TYPES }) disputeType: string;
  @ApiProperty({ enum: CASE_STATUSES }) status: string;
  @ApiProperty() summary: string;
  @ApiProperty({ example: '12500.00' }) claimAmount: string;
  @ApiProperty() workerCount: number;
  @ApiProperty({ type: String, nullable: true }) courtCaseNumber: string | null;
  @ApiProperty({ type: PartyResponseDto }) applicant: PartyResponseDto;
  @ApiProperty({ type: PartyResponseDto }) respondent: PartyResponseDto;
  @ApiProperty({ type: [RepresentativeResponseDto] }) representatives: RepresentativeResponseDto[];
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) mediatorId: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ format: 'date-time', description: 'the instant the period ends (24:00 of deadlineDate, Shanghai)' }) deadlineAt: string;
  @ApiProperty({ example: '2026-12-13', description: 'the last day of the period (shown as this day, never the next)' }) deadlineDate: string;
  @ApiProperty() extensionDays: number;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) concludedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) outcomeReason: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['returned_to_court', 'arbitration', 'none'] }) handOff: string | null;
  @ApiProperty({ type: CourtOutcomeResponseDto, nullable: true }) courtOutcome: CourtOutcomeResponseDto | null;
  @ApiProperty() voided: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) voidedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) voidReason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) confirmationWaivedAt: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ enum: CASE_ACTIONS, isArray: true, description: 'GET /cases/:id only: the actions this viewer may take now' }) allowedActions?: string[];
}
