/**
 * Money and dates as the offices read them. Money stays a decimal string end to end (never a
 * float): "12500" → "¥12,500.00". Dates are Asia/Shanghai calendar days whatever the browser's zone.
 */
export const MONEY_INPUT = /^\d{1,13}(\.\d{1,2})?$/;
const ZONE = 'Asia/Shanghai';

export function formatMoney(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(amount).trim());
  if (!m) return String(amount);
  const int = m[2].replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m[1]}¥${int}.${(m[3] ?? '').padEnd(2, '0')}`;
}

/** An amount in cents as a BigInt (exact), or null when it is not an amount. */
export function toCents(amount: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(amount).trim());
  if (!m) return null;
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
}

export function centsToAmount(cents: bigint): string {
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

const dateFmt = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hour12: false });
const secondsFmt = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** The Asia/Shanghai calendar day of an instant, YYYY-MM-DD. */
export function shanghaiDay(at: string | Date | null | undefined): string {
  if (!at) return '—';
  const d = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(d.getTime()) ? '—' : dateFmt.format(d);
}

export function shanghaiDateTime(at: string | Date | null | undefined): string {
  if (!at) return '—';
  const d = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(d.getTime()) ? '—' : `${dateFmt.format(d)} ${timeFmt.format(d)}`;
}

/** A deadline is shown as its last day (deadlineDate; 24:00 of day N is day N, never N+1). */
export function deadlineDay(c: { deadlineDate?: string | null; deadlineAt?: string | null }): string {
  if (c.deadlineDate) return c.deadlineDate;
  if (!c.deadlineAt) return '—';
  return shanghaiDay(new Date(new Date(c.deadlineAt).getTime() - 1));
}

export const today = () => shanghaiDay(new Date());

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() + n);
  return shanghaiDay(d);
}

/** Monday of the week of a day (Asia/Shanghai). */
export function weekStart(day: string): string {
  const dow = new Date(`${day}T12:00:00+08:00`).getUTCDay(); // 0 Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** A wall-clock time typed in a datetime-local field, read as Asia/Shanghai time: ISO 8601 with +08:00. */
export function wallTimeToInstant(local: string): string {
  return `${local.length === 16 ? `${local}:00` : local.slice(0, 19)}+08:00`;
}

/** Now as a datetime-local value in Asia/Shanghai time (to the second: "now" is never before a moment ago). */
export function nowWallTime(): string {
  const now = new Date();
  return `${dateFmt.format(now)}T${secondsFmt.format(now)}`;
}

/** The instant's Asia/Shanghai wall time for a datetime-local field. */
export function instantToWallTime(at: string): string {
  const d = new Date(at);
  return `${dateFmt.format(d)}T${timeFmt.format(d)}`;
}
