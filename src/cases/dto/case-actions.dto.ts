import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsInstant, IsMoney, Trim } from '../../common/dto/validators';
import { DISPUTE_TYPES, DisputeType } from '../../case-core/case-lifecycle';
import { AgentDto, ID_NUMBER, PHONE, RepresentativeDto } from './create-case.dto';

/** Optimistic concurrency: the case version the client last saw (or the If-Match header). */
export class VersionedDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 3, description: 'the case version you last saw; 409 with the current version when stale' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class AssignDto extends VersionedDto {
  @ApiProperty({ type: String, format: 'uuid', description: "an active mediator of the case's workstation" }) @IsUUID() mediatorId: string;
}

export class ReasonDto extends VersionedDto {
  @ApiProperty({ example: '用人单位拒绝调解', minLength: 1, maxLength: 2000 }) @Trim() @IsString() @Length(1, 2000) reason: string;
}

export const HAND_OFFS = ['returned_to_court', 'arbitration', 'none'] as const;

export class FailureDto extends ReasonDto {
  @ApiPropertyOptional({
    enum: HAND_OFFS,
    description: 'where the case goes: a court case is returned_to_court (立案 / 恢复审理; the default, the only choice); any other case arbitration (default) or none',
  })
  @IsOptional()
  @IsIn(HAND_OFFS)
  handOff?: (typeof HAND_OFFS)[number];
}

export const EXTENSION_PARTIES = ['applicant', 'respondent'] as const;

/** The court's approval of an extension of a court case's mediation period. */
export class CourtApprovalDto {
  @IsInstant({ description: 'when the court approved' }) approvedAt: string;
  @ApiPropertyOptional({ example: '法官 张某 电话同意' }) @IsOptional() @Trim() @IsString() @Length(1, 200) reference?: string;
}

export class ExtensionDto extends VersionedDto {
  @ApiProperty({ minimum: 1, description: 'days added; all extensions of a case together at most MAX_EXTENSION_DAYS (default 30)' }) @IsInt() @Min(1) @Max(365) days: number;
  @ApiProperty({ example: '双方同意延长调解期限' }) @Trim() @IsString() @Length(1, 2000) reason: string;

  @ApiProperty({ enum: EXTENSION_PARTIES, isArray: true, example: ['applicant', 'respondent'], description: 'both parties must agree' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsIn(EXTENSION_PARTIES, { each: true })
  agreedBy: Array<(typeof EXTENSION_PARTIES)[number]>;

  @ApiPropertyOptional({ type: CourtApprovalDto, description: 'required for a court case (court_entrusted, court_assigned)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CourtApprovalDto)
  courtApproval?: CourtApprovalDto;
}

export const COURT_OUTCOMES = ['mediation_document', 'suit_withdrawn'] as const;

export class CourtOutcomeDto extends VersionedDto {
  @ApiProperty({ enum: COURT_OUTCOMES, description: 'mediation_document: the court issued its 民事调解书; suit_withdrawn: 撤诉' }) @IsIn(COURT_OUTCOMES) outcome: (typeof COURT_OUTCOMES)[number];
  @ApiPropertyOptional({ example: '(2026)鄂0102民初88号', description: "the 调解书's number (required for mediation_document)" })
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, 100)
  documentNumber?: string;
  @ApiProperty({ example: '2026-11-20', description: 'calendar date of the document or of the withdrawal order' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date YYYY-MM-DD' })
  date: string;
}

export class VoidDto extends ReasonDto {}

export class RenegotiationDto extends ReasonDto {}

/** A party's registered facts to correct: only the fields sent change. */
export class PartyCorrectionDto {
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_NUMBER, { message: 'idNumber must be 6-32 letters or digits' }) idNumber?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(ID_NUMBER, { message: 'creditCode must be 6-32 letters or digits' }) creditCode?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(PHONE, { message: 'phone must be 5-20 digits' }) phone?: string;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @Length(1, 300) address?: string;
  @ApiPropertyOptional({ type: AgentDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => AgentDto) agent?: AgentDto;
}

export class CorrectionDto extends VersionedDto {
  @ApiPropertyOptional({ type: PartyCorrectionDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => PartyCorrectionDto) applicant?: PartyCorrectionDto;
  @ApiPropertyOptional({ type: PartyCorrectionDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => PartyCorrectionDto) respondent?: PartyCorrectionDto;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @Length(1, 5000) summary?: string;
  @IsMoney({ optional: true }) claimAmount?: string;
  @ApiPropertyOptional({ enum: DISPUTE_TYPES }) @IsOptional() @IsIn(DISPUTE_TYPES) disputeType?: DisputeType;
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @Length(1, 100) courtCaseNumber?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000) workerCount?: number;
  @ApiPropertyOptional({ type: [RepresentativeDto] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => RepresentativeDto) representatives?: RepresentativeDto[];
}

export const CONTACTED_PARTIES = ['applicant', 'respondent', 'both'] as const;

export class NoteDto extends VersionedDto {
  @ApiProperty({ example: '电话联系用人单位人事负责人，约定下周面谈', minLength: 1, maxLength: 5000 }) @Trim() @IsString() @Length(1, 5000) text: string;
  @ApiPropertyOptional({ enum: CONTACTED_PARTIES, description: 'who was contacted' }) @IsOptional() @IsIn(CONTACTED_PARTIES) contactedParty?: (typeof CONTACTED_PARTIES)[number];
}
