/**
 * Statutory mediation periods (pure). A period of N days from receipt ends at 24:00 Shanghai
 * of the N-th day after the day of receipt.
 */
import { addDays, endOfShanghaiDay, shanghaiDate } from '../common/business-time';
import { CaseSource } from './case-lifecycle';

/** Labor Dispute Mediation and Arbitration Law art. 14: 15 days. */
export const DEFAULT_MEDIATION_DAYS = 15;
/** Pre-filing court assignment (委派): 30 days. */
export const COURT_ASSIGNED_DAYS = 30;
/** Post-filing court entrustment (委托): 15 days, 7 under simple procedure. */
export const COURT_ENTRUSTED_DAYS = 15;
export const COURT_ENTRUSTED_SIMPLE_DAYS = 7;

export function mediationPeriodDays(source: CaseSource, simpleProcedure = false): number {
  if (source === 'court_assigned') return COURT_ASSIGNED_DAYS;
  if (source === 'court_entrusted') return simpleProcedure ? COURT_ENTRUSTED_SIMPLE_DAYS : COURT_ENTRUSTED_DAYS;
  return DEFAULT_MEDIATION_DAYS;
}

export interface DeadlineInput {
  source: CaseSource;
  receivedAt: Date;
  simpleProcedure?: boolean;
  /** A deadline the court set at intake: a calendar date (ends at 24:00 Shanghai) or an instant. */
  courtDeadline?: string;
}

export function mediationDeadline(input: DeadlineInput): Date {
  if (input.courtDeadline) {
    return /^\d{4}-\d{2}-\d{2}$/.test(input.courtDeadline) ? endOfShanghaiDay(input.courtDeadline) : new Date(input.courtDeadline);
  }
  const days = mediationPeriodDays(input.source, input.simpleProcedure);
  return endOfShanghaiDay(addDays(shanghaiDate(input.receivedAt), days));
}

export function extendDeadline(deadlineAt: Date, days: number): Date {
  return new Date(deadlineAt.getTime() + days * 24 * 3600 * 1000);
}

/**
 * The calendar day a deadline instant ends (a period ending at 24:00 of day N is stored as 00:00
 * of day N+1 and shown as day N): the `deadlineDate` of the API, the date of the exports and
 * messages.
 */
export function deadlineDateOf(deadlineAt: Date): string {
  return shanghaiDate(new Date(deadlineAt.getTime() - 1));
}
