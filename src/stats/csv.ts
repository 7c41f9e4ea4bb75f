/**
 * CSV for Excel: UTF-8 with a byte-order mark (so that Excel opens Chinese text as UTF-8), CRLF
 * line ends, RFC 4180 quoting, and a guard against formula injection: a text cell that starts with
 * = + - @ (or a tab / carriage return) is prefixed with an apostrophe, so that Excel shows it as
 * text instead of evaluating it.
 */
export const CSV_BOM = '\uFEFF';
export const CSV_LINE_END = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | null | undefined;

/** A text cell (guarded against formulas). */
export function csvText(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return quote(FORMULA_START.test(text) ? `'${text}` : text);
}

/** A cell the code produced itself (amounts, counts, dates): quoted when needed, never altered. */
export function csvPlain(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  return quote(String(value));
}

function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: string[]): string {
  return cells.join(',') + CSV_LINE_END;
}
