import { ApiProperty } from '@nestjs/swagger';
import { ATTACHMENT_KINDS, AttachmentKind } from '../../case-core/attachment-kinds';
import { ConfirmationStatus } from '../../case-core/confirmation.entity';
import { SessionMode, SessionStatus } from '../../case-core/session.entity';
import { CASE_ACTIONS, CASE_SOURCES, CASE_STATUSES, CaseAction, DISPUTE_TYPES, DisputeType } from '../../case-core/case-lifecycle';
import type { CourtOutcome, HandOff, PartyKind } from '../../case-core/case.entity';
import { Assert, Same } from '../../common/openapi/same-shape';
import type { CasesService } from '../cases.service';
import type { Instant, toAgreementView, toCaseAttachmentView, toCaseView, toConfirmationView, toEventView, toInstallmentView, toSessionView } from '../../case-core/case-view';

/**
 * OpenAPI shapes of the case answers (case-view.ts builds them as plain objects). Every property
 * is always present; `nullable` ones are null when unknown. The e2e test
 * test/openapi-responses.e2e-spec.ts checks live answers against these classes.
 */

const uuid = (description?: string) => ApiProperty({ type: String, format: 'uuid', description });
const nullableUuid = (description?: string) => ApiProperty({ type: String, format: 'uuid', nullable: true, description });
const instant = (description?: string, example = '2026-11-24T01:30:00.000Z') => ApiProperty({ type: String, format: 'date-time', example, description });
const nullableInstant = (description?: string) => ApiProperty({ type: String, format: 'date-time', nullable: true, description });
const nullableText = (example?: string, description?: string) => ApiProperty({ type: String, nullable: true, example, description });
const money = (example: string, description?: string) => ApiProperty({ type: String, pattern: '^\\d+(\\.\\d{1,2})?$', example, description });

/** Every value of a union, listed once: a value added to the union is a type error here until it is documented. */
const valuesOf = <T extends string>(table: Record<T, true>) => Object.keys(table) as T[];
export const SESSION_STATUSES = valuesOf<SessionStatus>({ scheduled: true, held: true, cancelled: true, no_show: true });
export const SESSION_MODE_VALUES = valuesOf<SessionMode>({ onsite: true, video: true, phone: true });
export const CONFIRMATION_STATUSES = valuesOf<ConfirmationStatus>({ pending: true, accepted: true, confirmed: true, rejected: true });
export const PARTY_KIND_VALUES = valuesOf<PartyKind>({ worker: true, employer: true });
export const INSTALLMENT_STATUSES = ['due', 'overdue', 'paid'] as const;

export class AgentView {
  @ApiProperty({ example: '李律师' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: '13900000000' }) phone: string | null;
  @ApiProperty({ type: String, nullable: true, example: '委托代理人（律师）' }) relation: string | null;
}

/** A party: the worker (identity number) or the employer (unified social credit code); either may have applied. */
export class PartyView {
  @ApiProperty({ enum: PARTY_KIND_VALUES, enumName: 'PartyKind', description: 'worker or employer; the respondent is the other kind' }) kind: PartyKind;
  @ApiProperty({ example: '张三' }) name: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '420***********1234',
    description: '身份证号. Masked (420***********1234) except for the assigned mediator, the workstation\'s court clerk and admins; always masked in lists',
  })
  idNumber: string | null;
  @ApiProperty({ type: String, nullable: true, example: '91420100MA4K0000XX', description: '统一社会信用代码 (an employer)' }) creditCode: string | null;
  @ApiProperty({ type: String, nullable: true, example: '13800000000' }) phone: string | null;
  @ApiProperty({ type: String, nullable: true, example: '武汉市江岸区某某路1号', description: '送达地址 (service address)' }) address: string | null;
  @ApiProperty({ type: AgentView, nullable: true, description: '代理人' }) agent: AgentView | null;
}

export class RepresentativeView {
  @ApiProperty({ example: '王五' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: '13700000000' }) phone: string | null;
}

export class CourtOutcomeView {
  @ApiProperty({ enum: ['mediation_document', 'suit_withdrawn'], enumName: 'CourtOutcome', description: 'mediation_document: the court\'s 民事调解书; suit_withdrawn: 撤诉' }) outcome: CourtOutcome;
  @ApiProperty({ type: String, nullable: true, example: '(2026)鄂0102民初88号' }) documentNumber: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-11-20' }) date: string | null;
}

export class CaseView {
  @uuid() id: string;
  @ApiProperty({ example: 'WH-JA-2026-000123', description: '{workstation code}-{year}-{000001}, gap-free per workstation and year' }) caseNumber: string;
  @uuid() workstationId: string;
  @ApiProperty({ enum: CASE_SOURCES, enumName: 'CaseSource' }) source: (typeof CASE_SOURCES)[number];
  @ApiProperty({ enum: DISPUTE_TYPES, enumName: 'DisputeType' }) disputeType: (typeof DISPUTE_TYPES)[number];
  @ApiProperty({ enum: CASE_STATUSES, enumName: 'CaseStatus' }) status: (typeof CASE_STATUSES)[number];
  @ApiProperty({ example: '拖欠三个月工资' }) summary: string;
  @money('12500.00', 'amount claimed, decimal string (yuan)') claimAmount: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'workers on the applicant side (3 or more: a collective dispute)' }) workerCount: number;
  @nullableText('(2026)鄂0102民初1234号', 'the court\'s case number (court cases)') courtCaseNumber: string | null;
  @ApiProperty({ description: 'court case under simple procedure' }) simpleProcedure: boolean;
  @ApiProperty({ type: PartyView, description: 'who applied (a worker unless kind says employer)' }) applicant: PartyView;
  @ApiProperty({ type: PartyView }) respondent: PartyView;
  @ApiProperty({ type: [RepresentativeView], description: 'elected representatives of a collective dispute (workerCount ≥ 3)' }) representatives: RepresentativeView[];
  @nullableUuid('the assigned mediator; null before assignment') mediatorId: string | null;
  @instant('when the case was received') receivedAt: Instant;
  @instant('end of the mediation period: 24:00 Asia/Shanghai of its last day, as an instant', '2026-12-09T16:00:00.000Z') deadlineAt: Instant;
  @ApiProperty({ type: String, format: 'date', example: '2026-12-09', description: 'the last day of the mediation period (Asia/Shanghai): shown as this day, never the next' }) deadlineDate: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'days the mediation period was extended in all' }) extensionDays: number;
  @ApiProperty({ description: 'the mediation period ended while the case was open' }) overdue: boolean;
  @nullableInstant('when mediation ended (agreement signed, failure or withdrawal)') concludedAt: Instant | null;
  @nullableText('用人单位拒绝调解', 'the reason given for a failure or withdrawal') outcomeReason: string | null;
  @ApiProperty({ type: String, enum: ['returned_to_court', 'arbitration', 'none'], enumName: 'HandOff', nullable: true, description: 'where a failed case went: returned_to_court (立案 / 恢复审理), arbitration, none' })
  handOff: HandOff | null;
  @ApiProperty({ type: CourtOutcomeView, nullable: true, description: 'an entrusted case closed by the court' }) courtOutcome: CourtOutcomeView | null;
  @ApiProperty({ description: 'a mistaken entry, voided: its number stays used, shown as 作废, in no statistic' }) voided: boolean;
  @nullableInstant() voidedAt: Instant | null;
  @nullableText(undefined, 'why the entry was voided') voidReason: string | null;
  @nullableInstant('when the parties waived judicial confirmation') confirmationWaivedAt: Instant | null;
  @ApiProperty({ type: 'integer', minimum: 1, example: 3, description: 'optimistic-concurrency version: send it back as expectedVersion or If-Match' }) version: number;
  @instant() createdAt: Instant;
  @instant() updatedAt: Instant;
}

export class CasePage {
  @ApiProperty({ type: [CaseView] }) items: CaseView[];
  @ApiProperty({ type: 'integer', minimum: 0, example: 1, description: 'the number of matching cases; a search (q) counts only up to 501 (see totalCapped) and pages through its first 500' }) total: number;
  @ApiProperty({ description: 'true when a search has more than 500 matches and counting stopped: total is then 501, a lower bound' }) totalCapped: boolean;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 20 }) pageSize: number;
}

export class SessionView {
  @uuid() id: string;
  @uuid() caseId: string;
  @instant('when the session takes (took) place') scheduledAt: Instant;
  @ApiProperty({ enum: SESSION_MODE_VALUES, enumName: 'SessionMode' }) mode: SessionMode;
  @nullableText('江岸区总工会三楼调解室') location: string | null;
  @ApiProperty({ enum: SESSION_STATUSES, enumName: 'SessionStatus' }) status: SessionStatus;
  @nullableText('双方到场') notes: string | null;
  @instant() createdAt: Instant;
  @instant() updatedAt: Instant;
}

export class InstallmentView {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'position in the payment plan, from 1' }) n: number;
  @ApiProperty({ type: String, format: 'date', example: '2026-12-31', description: 'calendar date (Asia/Shanghai)' }) dueDate: string;
  @money('5000.00') amount: string;
  @nullableInstant() paidAt: Instant | null;
  /** One of INSTALLMENT_STATUSES (case-view.ts computes it as a string). */
  @ApiProperty({ enum: INSTALLMENT_STATUSES, enumName: 'InstallmentStatus', description: 'overdue: unpaid after its due date' }) status: string;
}

export class AgreementView {
  @uuid() id: string;
  @uuid() caseId: string;
  @ApiProperty({ example: '被申请人于2026年12月31日前支付拖欠工资共计人民币壹万元' }) terms: string;
  @money('10000.00') agreedAmount: string;
  @instant('when the last of the parties and the mediator signed') signedAt: Instant;
  @instant('when the agreement takes effect') effectiveAt: Instant;
  @ApiProperty({ type: [String], nullable: true, example: ['张三', '某某公司（盖章）', '调解员 李四'], description: 'who signed (art. 14)' }) signatories: string[] | null;
  @ApiProperty({ description: 'an installment is unpaid past its due date' }) inBreach: boolean;
  @nullableInstant() breachedAt: Instant | null;
  @ApiProperty({ type: [InstallmentView] }) installments: InstallmentView[];
  @instant() createdAt: Instant;
}

export class ConfirmationApplicantView {
  @ApiProperty({ enum: ['applicant', 'respondent'] }) side: 'applicant' | 'respondent';
  @ApiProperty({ example: '张三' }) name: string;
}

export class ConfirmationView {
  @uuid() id: string;
  @uuid() caseId: string;
  @ApiProperty({ example: 'WH-JA-2026-000123' }) caseNumber: string;
  @uuid() workstationId: string;
  @ApiProperty({ enum: CONFIRMATION_STATUSES, enumName: 'ConfirmationStatus' }) status: ConfirmationStatus;
  @nullableText('江岸区人民法院', 'the court applied to') court: string | null;
  @ApiProperty({ type: [ConfirmationApplicantView], description: 'both parties apply jointly' }) applicants: ConfirmationApplicantView[];
  @instant('when the parties applied jointly') appliedAt: Instant;
  @nullableInstant('the court decides on acceptance by then (3 days)') acceptanceDueAt: Instant | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-12-03', description: 'the last day for acceptance' }) acceptanceDueDate: string | null;
  @nullableInstant() acceptedAt: Instant | null;
  @nullableText('(2026)鄂0102民特受12号', 'the 调确 acceptance number') acceptanceNumber: string | null;
  @nullableInstant('not accepted (不予受理)') declinedAt: Instant | null;
  @nullableInstant('the ruling is due by then: 15 days from acceptance, 25 when extended') rulingDueAt: Instant | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-12-18', description: 'the last day for the ruling' }) rulingDueDate: string | null;
  @ApiProperty({ description: 'the ruling period was extended (+10 days, once)' }) rulingExtended: boolean;
  @nullableText(undefined, 'why the ruling period was extended') rulingExtensionReason: string | null;
  @nullableInstant() ruledAt: Instant | null;
  @nullableText('(2026)鄂0102民特123号') rulingNumber: string | null;
  @nullableText(undefined, 'the reason of a rejection') reason: string | null;
}

export class CaseAttachmentView {
  @uuid() id: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS, enumName: 'AttachmentKind', description: '委派/委托函 | 证据 | 签署的调解协议书 | 身份证明 | 其他' }) kind: AttachmentKind;
  @ApiProperty({ example: '委派调解函.pdf', description: 'the uploaded name, made safe' }) fileName: string;
  @ApiProperty({ example: 'application/pdf', description: 'the type, detected from the content' }) contentType: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 183204, description: 'size in bytes' }) sizeBytes: number;
  @nullableUuid('the version this one replaces') supersedesId: string | null;
  @nullableUuid('the version that replaced this one (null: current)') supersededById: string | null;
  @nullableUuid('who uploaded it') uploadedBy: string | null;
  @nullableText('张调解', "the uploader's display name") uploadedByName: string | null;
  @instant() uploadedAt: Instant;
  @ApiProperty({ example: '/api/v1/attachments/0b7c…', description: 'where to download the file' }) downloadUrl: string;
}

export class CaseDetail extends CaseView {
  @ApiProperty({ type: [SessionView], description: 'in order of scheduled time' }) sessions: SessionView[];
  @ApiProperty({ type: AgreementView, nullable: true }) agreement: AgreementView | null;
  @ApiProperty({ type: ConfirmationView, nullable: true }) confirmation: ConfirmationView | null;
  @ApiProperty({ type: [CaseAttachmentView], description: "the case's attachments, every version, oldest first" }) attachments: CaseAttachmentView[];
  @instant("the server's time when it answered (a session's outcome may be recorded from its scheduled time on, by this clock)") serverTime: Date;
  @ApiProperty({
    enum: CASE_ACTIONS,
    enumName: 'CaseAction',
    isArray: true,
    description: 'the actions this viewer may take on the case now (its state, source, the viewer\'s role and assignment): the web page shows exactly these',
  })
  allowedActions: CaseAction[];
}

export class CaseEventView {
  @ApiProperty({ type: String, pattern: '^\\d+$', example: '42', description: 'increasing with time within the timeline (a 64-bit integer as a string)' }) id: string;
  @uuid() caseId: string;
  @ApiProperty({ example: 'mediator_assigned', description: 'case_registered, mediator_assigned, session_held, note_added, agreement_recorded, ...' }) type: string;
  @nullableUuid('who acted (null: the system)') actorId: string | null;
  @nullableText('张调解', 'the display name of who acted: a person, or a service account under its name; null for the system') actorName: string | null;
  @instant() at: Date;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'the changed values before' }) before: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'the changed values after' }) after: Record<string, unknown> | null;
}

export class MediatorSuggestion {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 }) rank: number;
  @uuid() mediatorId: string;
  @ApiProperty({ example: '李调解' }) displayName: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'open cases assigned now' }) openCases: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'concluded cases of the same dispute type' }) sameDisputeTypeCases: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) concludedCases: number;
  @ApiProperty({ description: 'already assigned to this case' }) current: boolean;
  @ApiProperty({ description: "the case's dispute type is among the mediator's specialties (specialists come first)" }) specialist: boolean;
  @ApiProperty({ enum: DISPUTE_TYPES, enumName: 'DisputeType', isArray: true, description: 'the dispute types the mediator specialises in (roster)' }) specialties: DisputeType[];
  @ApiProperty({ description: '特邀调解员 (an invited mediator)' }) invited: boolean;
}

/**
 * The classes above and the views of case-view.ts describe the same objects: a property added to,
 * removed from or retyped in a view is a type error here until its documentation follows
 * (test/openapi-responses.e2e-spec.ts checks the live answers as well).
 */
export type CaseViewDocumented = [
  Assert<Same<ReturnType<typeof toCaseView>, CaseView>>,
  Assert<Same<ReturnType<typeof toSessionView>, SessionView>>,
  Assert<Same<ReturnType<typeof toAgreementView>, AgreementView>>,
  Assert<Same<ReturnType<typeof toInstallmentView>, InstallmentView>>,
  Assert<Same<ReturnType<typeof toConfirmationView>, ConfirmationView>>,
  Assert<Same<ReturnType<typeof toEventView>, CaseEventView>>,
  Assert<Same<ReturnType<typeof toCaseAttachmentView>, CaseAttachmentView>>,
  Assert<Same<Awaited<ReturnType<CasesService['get']>>, CaseDetail>>,
  Assert<Same<Awaited<ReturnType<CasesService['list']>>, CasePage>>,
  Assert<Same<Awaited<ReturnType<CasesService['mediatorSuggestions']>>[number], MediatorSuggestion>>,
];
