import type { AttachmentKind } from './attachment-kinds';
import { Agreement, Installment } from './agreement.entity';
import { AuthUser } from '../accounts-core/auth-user';
import { canSeeIdentity, maskIdNumber } from '../accounts-core/scope';
import { shanghaiDate } from '../common/business-time';
import { Confirmation } from './confirmation.entity';
import { CaseSession } from './session.entity';
import { CaseEvent } from './case-event.entity';
import { deadlineDateOf } from './statutory-periods';
import { Case, PartyKind } from './case.entity';

export type CaseView = ReturnType<typeof toCaseView>;

/** An instant of a view: a Date, or already the ISO string it is written as (Date.prototype.toISOString()). */
export type Instant = Date | string;

/** An entity's fields as a view reads them: its instants Dates or the ISO strings they are written as. */
export type WithInstants<T> = { [K in keyof T]: T[K] extends Date ? Instant : T[K] extends Date | null ? Instant | null : T[K] };

/**
 * A case row of the list (case-select.ts caseListRowOf): what toCaseView shows of the case, its
 * instants as the ISO strings they are written as (read with PgReads' ISO_INSTANTS: no Date is
 * made of a value that is only written out again).
 */
export type CaseListRow = { [K in Exclude<keyof Case, 'createdBy'>]: Case[K] extends Date ? string : Case[K] extends Date | null ? string | null : Case[K] };

/** The case as the API shows it. Identity numbers are whole only when `revealIdentity`. */
export function toCaseView(c: Case | CaseListRow, revealIdentity = false) {
  const applicantKind: PartyKind = c.applicantKind ?? 'worker';
  const respondentKind: PartyKind = applicantKind === 'employer' ? 'worker' : 'employer';
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    workstationId: c.workstationId,
    source: c.source,
    disputeType: c.disputeType,
    status: c.status,
    summary: c.summary,
    claimAmount: c.claimAmount,
    workerCount: c.workerCount,
    courtCaseNumber: c.courtCaseNumber,
    simpleProcedure: c.simpleProcedure,
    applicant: {
      kind: applicantKind,
      name: c.applicantName,
      idNumber: revealIdentity ? c.applicantIdNumber : maskIdNumber(c.applicantIdNumber),
      creditCode: c.applicantCreditCode ?? null,
      phone: c.applicantPhone,
      address: c.applicantAddress ?? null,
      agent: c.applicantAgent ?? null,
    },
    respondent: {
      kind: respondentKind,
      name: c.respondentName,
      idNumber: revealIdentity ? (c.respondentIdNumber ?? null) : maskIdNumber(c.respondentIdNumber ?? null),
      creditCode: c.respondentCreditCode,
      phone: c.respondentPhone,
      address: c.respondentAddress ?? null,
      agent: c.respondentAgent ?? null,
    },
    representatives: c.representatives ?? [],
    mediatorId: c.mediatorId,
    receivedAt: c.receivedAt,
    deadlineAt: c.deadlineAt,
    deadlineDate: deadlineDateOf(typeof c.deadlineAt === 'string' ? new Date(c.deadlineAt) : c.deadlineAt),
    extensionDays: c.extensionDays,
    overdue: c.overdue,
    concludedAt: c.concludedAt,
    outcomeReason: c.outcomeReason,
    handOff: c.handOff ?? null,
    courtOutcome: c.courtOutcome ? { outcome: c.courtOutcome, documentNumber: c.courtDocumentNumber, date: c.courtOutcomeDate } : null,
    voided: c.status === 'voided',
    voidedAt: c.voidedAt ?? null,
    voidReason: c.voidReason ?? null,
    confirmationWaivedAt: c.confirmationWaivedAt ?? null,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function toSessionView(s: WithInstants<CaseSession>) {
  return { id: s.id, caseId: s.caseId, scheduledAt: s.scheduledAt, mode: s.mode, location: s.location, status: s.status, notes: s.notes, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

export function toInstallmentView(i: WithInstants<Installment>, now: Date) {
  const overdue = !i.paidAt && shanghaiDate(now) > i.dueDate;
  return { n: i.seq, dueDate: i.dueDate, amount: i.amount, paidAt: i.paidAt, status: i.paidAt ? 'paid' : overdue ? 'overdue' : 'due' };
}

export function toAgreementView(a: WithInstants<Agreement>, installments: Array<WithInstants<Installment>>, now: Date) {
  return {
    id: a.id,
    caseId: a.caseId,
    terms: a.terms,
    agreedAmount: a.agreedAmount,
    signedAt: a.signedAt,
    effectiveAt: a.effectiveAt,
    signatories: a.signatories ?? null,
    inBreach: a.inBreach,
    breachedAt: a.breachedAt,
    installments: installments.sort((x, y) => x.seq - y.seq).map((i) => toInstallmentView(i, now)),
    createdAt: a.createdAt,
  };
}

export function toConfirmationView(conf: WithInstants<Confirmation>, caseNumber: string) {
  return {
    id: conf.id,
    caseId: conf.caseId,
    caseNumber,
    workstationId: conf.workstationId,
    status: conf.status,
    court: conf.court ?? null,
    applicants: conf.applicants ?? [],
    appliedAt: conf.appliedAt,
    acceptanceDueAt: conf.acceptanceDueAt ?? null,
    acceptanceDueDate: conf.acceptanceDueAt ? deadlineDateOf(new Date(conf.acceptanceDueAt)) : null,
    acceptedAt: conf.acceptedAt ?? null,
    acceptanceNumber: conf.acceptanceNumber ?? null,
    declinedAt: conf.declinedAt ?? null,
    rulingDueAt: conf.rulingDueAt ?? null,
    rulingDueDate: conf.rulingDueAt ? deadlineDateOf(new Date(conf.rulingDueAt)) : null,
    rulingExtended: !!conf.rulingExtendedAt,
    rulingExtensionReason: conf.rulingExtensionReason ?? null,
    ruledAt: conf.ruledAt,
    rulingNumber: conf.rulingNumber,
    reason: conf.reason,
  };
}

/** An attachment as the case shows it (the file itself is at `downloadUrl`). */
export interface CaseAttachmentRecord {
  id: string;
  kind: AttachmentKind;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  supersedesId: string | null;
  supersededById: string | null;
  uploadedBy: string | null;
  uploadedByName: string | null;
  uploadedAt: Date;
}

export function toCaseAttachmentView(a: WithInstants<CaseAttachmentRecord>) {
  return {
    id: a.id,
    kind: a.kind,
    fileName: a.fileName,
    contentType: a.contentType,
    sizeBytes: Number(a.sizeBytes),
    supersedesId: a.supersedesId,
    supersededById: a.supersededById,
    uploadedBy: a.uploadedBy,
    uploadedByName: a.uploadedByName,
    uploadedAt: a.uploadedAt,
    downloadUrl: `/api/v1/attachments/${a.id}`,
  };
}

/** A timeline event; `actorName` is the display name of who acted (a person or a service account), null for the system. */
export function toEventView(e: CaseEvent, actorName: string | null) {
  return { id: e.id, caseId: e.caseId, type: e.type, actorId: e.actorId, actorName, at: e.at, before: e.before, after: e.after };
}

export function revealFor(user: AuthUser, c: { workstationId: string; mediatorId: string | null }): boolean {
  return canSeeIdentity(user, c);
}

/** The case as this actor may see it (a reassigned-away mediator still gets the answer to their own change). */
export function caseViewFor(user: AuthUser, c: Case) {
  return toCaseView(c, revealFor(user, c));
}
