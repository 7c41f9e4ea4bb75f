/**
 * Money is a decimal string with at most two decimals ("12500.00"); it is never a JS number.
 * Arithmetic happens in PostgreSQL numeric or in integer fen (分) via BigInt.
 */
export const MONEY_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

export function toFen(amount: string): bigint {
  const [whole, frac = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
}

export function fromFen(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = abs / 100n;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** Normalises a valid amount to two decimals: "12500" -> "12500.00". */
export function normalizeMoney(amount: string): string {
  // The usual amount (MONEY_PATTERN: no sign, no leading zero) by its digits alone, as through fen.
  if (MONEY_PATTERN.test(amount)) {
    const dot = amount.indexOf('.');
    return dot < 0 ? `${amount}.00` : dot === amount.length - 2 ? `${amount}0` : amount;
  }
  return fromFen(toFen(amount));
}
