import { Agreement, Installment } from '../agreements/agreement.entity';
import { AuthUser } from '../auth/auth-user';
import { canSeeIdentity, maskIdNumber } from '../auth/scope';
import { shanghaiDate } from '../common/business-time';
import { Confirmation } from '../confirmations/confirmation.entity';
import { CaseSession } from '../sessions/session.entity';
import { CaseEvent } from './entities/case-event.entity';
import { Case } from './entities/case.entity';

/** The calendar day (Asia/Shanghai) whose 24:00 is the instant `deadlineAt`: day N, never N+1. */
export function deadlineDateOf(deadlineAt: Date | string): string {
  return shanghaiDate(new Date(new Date(deadlineAt).getTime() - 1));
}

export type CaseView = ReturnType<typeof toCaseView>;

/** The case as the API shows it. Identity numbers are whole only when `revealIdentity`. */
export function toCaseView(c: Case, revealIdentity = false) {
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
    applicant: { name: c.applicantName, idNumber: revealIdentity ? c.applicantIdNumber : maskIdNumber(c.applicantIdNumber), phone: c.applicantPhone },
    respondent: { name: c.respondentName, creditCode: c.respondentCreditCode, phone: c.respondentPhone },
    mediatorId: c.mediatorId,
    receivedAt: c.receivedAt,
    deadlineAt: c.deadlineAt,
    // The period ends at 24:00 of this day (deadlineAt is 00:00 of the next day, Asia/Shanghai).
    deadlineDate: deadlineDateOf(c.deadlineAt),
    extensionDays: c.extensionDays,
    overdue: c.overdue,
    concludedAt: c.concludedAt,
    outcomeReason: c.outcomeReason,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function toSessionView(s: CaseSession) {
  return { id: s.id, caseId: s.caseId, scheduledAt: s.scheduledAt, mode: s.mode, location: s.location, status: s.status, notes: s.notes, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

export function toInstallmentView(i: Installment, now: Date) {
  const overdue = !i.paidAt && shanghaiDate(now) > i.dueDate;
  return { n: i.seq, dueDate: i.dueDate, amount: i.amount, paidAt: i.paidAt, status: i.paidAt ? 'paid' : overdue ? 'overdue' : 'due' };
}

export function toAgreementView(a: Agreement, installments: Installment[], now: Date) {
  return {
    id: a.id,
    caseId: a.caseId,
    terms: a.terms,
    agreedAmount: a.agreedAmount,
    signedAt: a.signedAt,
    effectiveAt: a.effectiveAt,
    inBreach: a.inBreach,
    breachedAt: a.breachedAt,
    installments: installments.sort((x, y) => x.seq - y.seq).map((i) => toInstallmentView(i, now)),
    createdAt: a.createdAt,
  };
}

export function toConfirmationView(conf: Confirmation, caseNumber: string) {
  return {
    id: conf.id,
    caseId: conf.caseId,
    caseNumber,
    workstationId: conf.workstationId,
    status: conf.status,
    appliedAt: conf.appliedAt,
    ruledAt: conf.ruledAt,
    rulingNumber: conf.rulingNumber,
    reason: conf.reason,
  };
}

export function toEventView(e: CaseEvent) {
  return { id: e.id, caseId: e.caseId, type: e.type, actorId: e.actorId, at: e.at, before: e.before, after: e.after };
}

export function revealFor(user: AuthUser, c: Case): boolean {
  return canSeeIdentity(user, c);
}
