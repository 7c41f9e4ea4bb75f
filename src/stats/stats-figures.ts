/**
 * The figures of DESIGN.md "Statistics" and their derivation from raw sums. Raw sums come from
 * SQL (counts, numeric sums as exact decimal strings); the ratios are computed here with integer
 * arithmetic so that 656 / 976 is exactly 0.6721, whatever floating point would say.
 */
export interface RawFigures {
  received: number;
  concluded: number;
  agreements: number;
  failed: number;
  withdrawn: number;
  confirmed: number;
  /** Entrusted cases closed by the court's 民事调解书 or a withdrawal. */
  courtConcluded: number;
  /** Agreements that may be judicially confirmed (not of an entrusted case): confirmationRate's denominator. */
  confirmable: number;
  /** Mean days from receipt to conclusion of the concluded cases, one decimal (computed in SQL numeric). */
  avgDaysToConclude: number | null;
  /** Exact decimal string, two decimals. */
  amountAgreed: string;
}

export interface Figures extends RawFigures {
  /** agreements / concluded, four decimals; null when nothing was concluded. */
  successRate: number | null;
  /** confirmed / agreements that may be confirmed, four decimals; null when there was none. */
  confirmationRate: number | null;
}

export const ZERO_FIGURES: RawFigures = {
  received: 0,
  concluded: 0,
  agreements: 0,
  failed: 0,
  withdrawn: 0,
  confirmed: 0,
  courtConcluded: 0,
  confirmable: 0,
  avgDaysToConclude: null,
  amountAgreed: '0.00',
};

/** n / d rounded half up to `decimals` places, without floating-point error; null when d is 0. */
export function ratio(n: number, d: number, decimals = 4): number | null {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || n < 0 || d < 0) throw new RangeError(`ratio needs non-negative integers, got ${n}/${d}`);
  if (d === 0) return null;
  const scale = 10 ** decimals;
  // floor((2·n·scale + d) / 2d) is n / d · scale rounded half up. While the dividend is a safe
  // integer, the floor of the floating-point quotient is the exact integer quotient (it would
  // take a dividend above 2^53 for the rounding to reach the next integer); beyond, BigInt.
  const dividend = 2 * n * scale + d;
  if (Number.isSafeInteger(dividend)) return Math.floor(dividend / (2 * d)) / scale;
  const bigScale = 10n ** BigInt(decimals);
  return Number((2n * BigInt(n) * bigScale + BigInt(d)) / (2n * BigInt(d))) / scale;
}

/**
 * The figures of an answer: the raw sums, their rates, and the consultations. One object literal
 * in the answer's key order (spreading one figures object into another, per month of a long
 * timeseries, cost more than the rest of the answer).
 */
export function answerFigures(raw: RawFigures, consultations: number): Figures & { consultations: number } {
  return {
    received: raw.received,
    concluded: raw.concluded,
    agreements: raw.agreements,
    failed: raw.failed,
    withdrawn: raw.withdrawn,
    confirmed: raw.confirmed,
    courtConcluded: raw.courtConcluded,
    confirmable: raw.confirmable,
    avgDaysToConclude: raw.avgDaysToConclude,
    amountAgreed: raw.amountAgreed,
    successRate: ratio(raw.agreements, raw.concluded),
    confirmationRate: ratio(raw.confirmed, raw.confirmable),
    consultations,
  };
}

/**
 * A point of a timeseries: its month, first and last day, then answerFigures' figures, as one
 * object literal in the answer's key order (as answerFigures, rather than spreading the figures
 * into each of a five-year series' 60 points).
 */
export function answerPoint(
  month: { month: string; from: string; to: string },
  raw: RawFigures,
  consultations: number,
): { month: string; from: string; to: string } & Figures & { consultations: number } {
  return {
    month: month.month,
    from: month.from,
    to: month.to,
    received: raw.received,
    concluded: raw.concluded,
    agreements: raw.agreements,
    failed: raw.failed,
    withdrawn: raw.withdrawn,
    confirmed: raw.confirmed,
    courtConcluded: raw.courtConcluded,
    confirmable: raw.confirmable,
    avgDaysToConclude: raw.avgDaysToConclude,
    amountAgreed: raw.amountAgreed,
    successRate: ratio(raw.agreements, raw.concluded),
    confirmationRate: ratio(raw.confirmed, raw.confirmable),
    consultations,
  };
}

/**
 * The summary's answer: period, scope, answerFigures' figures and the open cases overdue, in the
 * answer's key order. Assigned, not spread: `{ ...period, ...scope, ...figures, overdueOpen }` took
 * V8 some 20 µs of CPU to build, Object.assign well under one (one object a request; answerPoint,
 * 60 a request, is a literal).
 */
export function answerSummary(
  period: { from: string; to: string },
  scope: { workstationId: string | null; mediatorId: string | null },
  raw: RawFigures,
  consultations: number,
  overdueOpen: number,
): { from: string; to: string; workstationId: string | null; mediatorId: string | null } & Figures & { consultations: number; overdueOpen: number } {
  return Object.assign(
    { from: period.from, to: period.to, workstationId: scope.workstationId, mediatorId: scope.mediatorId },
    answerFigures(raw, consultations),
    { overdueOpen },
  );
}

/** A row of the figures query: counts come back as numeric strings, amounts as text. */
export interface RawFiguresRow {
  received: string | number;
  concluded: string | number;
  agreements: string | number;
  failed: string | number;
  withdrawn: string | number;
  confirmed: string | number;
  court_concluded: string | number;
  confirmable: string | number;
  avg_days: string | null;
  amount_agreed: string;
}

export function rawFiguresFromRow(row: RawFiguresRow): RawFigures {
  return {
    received: Number(row.received),
    concluded: Number(row.concluded),
    agreements: Number(row.agreements),
    failed: Number(row.failed),
    withdrawn: Number(row.withdrawn),
    confirmed: Number(row.confirmed),
    courtConcluded: Number(row.court_concluded),
    confirmable: Number(row.confirmable),
    avgDaysToConclude: row.avg_days === null ? null : Number(row.avg_days),
    amountAgreed: row.amount_agreed,
  };
}
