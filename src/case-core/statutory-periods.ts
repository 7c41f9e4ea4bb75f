/**
 * Every statutory period of a case, with its legal source, and the pure functions that count them
 * (DESIGN.md "Deadlines and reminders"). A period of N days from an instant ends at 24:00
 * Shanghai of the N-th day after the day of that instant; a court's period whose last day is a
 * rest day or a holiday ends on the next working day (Civil Procedure Law art. 85, counted with
 * the holiday calendar in src/holidays/working-days.ts). When the reminders warn (the lead days)
 * is the product's choice, not the law's: src/reminders/reminder-plans.ts.
 *
 * Not here: how many days all extensions of the mediation period may add together; no statute
 * fixes it, it is a setting (MAX_EXTENSION_DAYS, default 30, src/config/env.validation.ts).
 */
import { addDays, endOfShanghaiDay, shanghaiDate } from '../common/business-time';
import { CaseSource } from '../common/case-codes';

/** Labor Dispute Mediation and Arbitration Law (劳动争议调解仲裁法) art. 14: no agreement within 15 days of receipt, the parties may go to arbitration. */
export const DEFAULT_MEDIATION_DAYS = 15;
/** 最高人民法院关于人民法院特邀调解的规定 (法释〔2016〕14号): a case assigned before filing (委派), 30 days. */
export const COURT_ASSIGNED_DAYS = 30;
/** Same provisions: a case entrusted after filing (委托), 15 days; 7 under simple procedure. */
export const COURT_ENTRUSTED_DAYS = 15;
export const COURT_ENTRUSTED_SIMPLE_DAYS = 7;

/** Civil Procedure Law (judicial confirmation of mediation agreements, 确认调解协议案件): the parties apply jointly within 30 days of the agreement taking effect. */
export const APPLICATION_WINDOW_DAYS = 30;
/** 最高人民法院关于人民调解协议司法确认程序的若干规定 (法释〔2011〕5号) art. 4: the court decides within 3 days of the application whether to accept it. */
export const ACCEPTANCE_PERIOD_DAYS = 3;
/** 法释〔2011〕5号 art. 5: the ruling within 15 days of acceptance. */
export const RULING_PERIOD_DAYS = 15;
/** 法释〔2011〕5号 art. 5: extended once, by 10 days at most (15 + 10). */
export const EXTENDED_RULING_PERIOD_DAYS = 25;

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
  return periodEnd(input.receivedAt, days);
}

export function extendDeadline(deadlineAt: Date, days: number): Date {
  return new Date(deadlineAt.getTime() + days * 24 * 3600 * 1000);
}

/** The end of a period of `days` days from `from` (24:00 Shanghai of the `days`-th day after it), without a holiday calendar. */
export function periodEnd(from: Date, days: number): Date {
  return endOfShanghaiDay(addDays(shanghaiDate(from), days));
}

/** The last moment of the joint application for judicial confirmation. */
export function applicationWindowEnd(effectiveAt: Date): Date {
  return periodEnd(effectiveAt, APPLICATION_WINDOW_DAYS);
}

/**
 * The calendar day a deadline instant ends (a period ending at 24:00 of day N is stored as 00:00
 * of day N+1 and shown as day N): the `deadlineDate` of the API, the date of the exports and
 * messages.
 */
export function deadlineDateOf(deadlineAt: Date): string {
  return shanghaiDate(new Date(deadlineAt.getTime() - 1));
}
