/**
 * CSV for Excel: UTF-8 with a byte-order mark (so that Excel opens Chinese text as UTF-8), CRLF
 * line ends, RFC 4180 quoting, and a guard against formula injection: a text cell that starts with
 * = + - @ (or a tab / carriage return) is prefixed with an apostrophe, so that Excel shows it as
 * text instead of evaluating it.
 */
import { escapeLiteral } from 'pg';

export const CSV_BOM = '\uFEFF';
export const CSV_LINE_END = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | null | undefined;

/** A text cell (guarded against formulas). */
export function csvText(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  return quote(formulaGuarded(String(value)));
}

/** csvText's cell before quoting: an apostrophe before a formula's first character. */
function formulaGuarded(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A text the code produced that Excel would read as a number or a date and change: an amount
 * "12500.00" shown as 12500, an all-digit credit code 914201001234567890 turned into 9.14E+17
 * (its last digits lost), "2026-000001" taken for a date. Such a cell starts with a tab, which
 * makes Excel, WPS and LibreOffice keep it as text exactly as written; programs that read the
 * CSV get the value back by trimming white space (the usual treatment of a cell). Chosen over
 * ="..." because that shows up literally in LibreOffice (formulas are not evaluated on CSV import
 * by default) and in every program that is not a spreadsheet. Text that is not number-like is
 * left alone. For figures to compute with, the .xlsx export has real numbers.
 */
export function csvVerbatim(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (NUMBER_LIKE.test(text)) return quote(`\t${text}`);
  return csvText(text);
}

const NUMBER_LIKE = /^(?=.*\d)[+-]?[\d.,:/ eE-]+$/;

/** A cell the code produced itself (counts, dates): quoted when needed, never altered. */
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

/*
 * The same cells written by PostgreSQL (the CSV export's COPY): each function returns the SQL of
 * a text value that `COPY ... WITH (FORMAT csv)` writes exactly as the function above of the same
 * name would. COPY quotes a value that contains , " CR or LF and doubles its quotes (quote()
 * above); it writes NULL as an empty cell and '' as "", so empty text is turned into NULL.
 */
/** The code points of FORMULA_START: ascii() reads the first one without copying the text. */
const SQL_FORMULA_START = `(${['=', '+', '-', '@', '\t', '\r'].map((c) => c.charCodeAt(0)).join(', ')})`;

/** csvText in SQL of a text the code knows (a label): a constant, guarded here rather than per row. */
export function sqlCsvTextConstant(text: string): string {
  const cell = formulaGuarded(text);
  return cell ? escapeLiteral(cell) : 'NULL';
}

/** csvText in SQL (`expr` is text). */
export function sqlCsvText(expr: string): string {
  return `CASE WHEN ascii(${expr}) IN ${SQL_FORMULA_START} THEN '''' || ${expr} ELSE nullif(${expr}, '') END`;
}

/**
 * The code points a NUMBER_LIKE text may start with ([+-] or [\d.,:/ eE-]): 43-58 is + , - . / 0-9 :.
 * A cheap first test before the pattern, which most texts (a case number's workstation code, a court
 * case number's parenthesis) fail at their first character.
 */
const SQL_NUMBER_LIKE_START = (expr: string) => `(ascii(${expr}) BETWEEN 43 AND 58 OR ascii(${expr}) IN (32, 69, 101))`;

/** csvVerbatim in SQL (`expr` is text): NUMBER_LIKE as one POSIX pattern (its lookahead as a required digit; JS \d is ASCII 0-9). */
export function sqlCsvVerbatim(expr: string): string {
  return `CASE WHEN ${SQL_NUMBER_LIKE_START(expr)} AND ${expr} ~ '^[+-]?[0-9.,:/ eE-]*[0-9][0-9.,:/ eE-]*$' THEN chr(9) || ${expr} ELSE ${sqlCsvText(expr)} END`;
}

/** csvVerbatim in SQL of a numeric column's text (digits, a point, a minus sign): always NUMBER_LIKE. */
export function sqlCsvVerbatimNumeric(expr: string): string {
  return `chr(9) || ${expr}`;
}

/** csvPlain in SQL (`expr` is text). */
export function sqlCsvPlain(expr: string): string {
  return `nullif(${expr}, '')`;
}
