import { shanghaiDate } from '../common/business-time';
import { toFen } from '../common/money';

/** "2026年11月28日" for a calendar date 'YYYY-MM-DD'. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The Shanghai calendar date of an instant, in Chinese. */
export function chineseDateOf(at: Date): string {
  return chineseDate(shanghaiDate(at));
}

/**
 * The last day of a period that ends at the instant `end` (24:00 of day N is stored as 00:00 of
 * day N+1): shown as day N, never N+1 (DESIGN.md "Deadlines and reminders").
 */
export function chineseLastDayOf(end: Date): string {
  return chineseDateOf(new Date(end.getTime() - 1));
}

/** "12,500.00" from a decimal string. */
export function groupedAmount(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole, frac = ''] = amount.replace(/^-/, '').split('.');
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(frac + '00').slice(0, 2)}`;
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/** A four-digit group in capitals, zeros folded ("1005" → "壹仟零伍"). */
function group4(n: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const digit = Math.floor(n / 10 ** i) % 10;
    if (digit === 0) {
      zero = out !== '';
    } else {
      if (zero) out += '零';
      out += DIGITS[digit] + SMALL_UNITS[i];
      zero = false;
    }
  }
  return out;
}

/**
 * The amount in Chinese financial capitals (人民币大写), as agreements and receipts write it:
 * "12500.00" → "壹万贰仟伍佰元整", "10000.05" → "壹万元零伍分".
 */
export function rmbCapitals(amount: string): string {
  const fen = toFen(amount.replace(/^-/, ''));
  const yuan = fen / 100n;
  const jiao = Number((fen / 10n) % 10n);
  const fenDigit = Number(fen % 10n);
  let integer = '';
  if (yuan === 0n) integer = '零';
  else {
    const groups: number[] = [];
    for (let v = yuan; v > 0n; v /= 10000n) groups.push(Number(v % 10000n));
    let pendingZero = false;
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i];
      if (g === 0) {
        pendingZero = integer !== '';
        continue;
      }
      if (integer !== '' && (pendingZero || g < 1000)) integer += '零';
      integer += group4(g) + BIG_UNITS[i];
      pendingZero = false;
    }
  }
  let out = `${amount.startsWith('-') ? '负' : ''}${integer}元`;
  if (jiao === 0 && fenDigit === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0n) out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  return out;
}
