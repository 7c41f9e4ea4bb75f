import type ExcelJS from 'exceljs';
import { AMOUNT_FORMAT } from '../stats/case-export-xlsx';
import { chineseDate } from './chinese-format';
import { breakdownTables, cellText, monthlyTable, ReportCell, ReportTable, summaryTable } from './stats-report-table';
import { STATS_REPORT_TITLE } from './stats-report-pdf';
import { StatsReport } from './stats-report.service';

function displayWidth(text: string): number {
  return [...text].reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);
}

/** A report cell as a typed Excel value with its number format. */
function excelCell(cell: ReportCell): { value: string | number | null; numFmt?: string } {
  if ('text' in cell) return { value: cell.text, numFmt: '@' };
  if ('count' in cell) return { value: cell.count, numFmt: '0' };
  if ('rate' in cell) return { value: cell.rate, numFmt: '0.0%' };
  if ('days' in cell) return { value: cell.days, numFmt: '0.0' };
  return { value: Number(cell.amount), numFmt: AMOUNT_FORMAT };
}

function addTableSheet(workbook: ExcelJS.Workbook, table: ReportTable, caption: string): void {
  const sheet = workbook.addWorksheet(table.title, {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '2:2' },
  });
  sheet.getCell('A1').value = caption;
  sheet.getCell('A1').font = { bold: true, size: 12 };
  const header = sheet.getRow(2);
  table.headers.forEach((h, i) => {
    const cell = header.getCell(i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
  });
  table.rows.forEach((row, r) => {
    const line = sheet.getRow(r + 3);
    row.forEach((c, i) => {
      const { value, numFmt } = excelCell(c);
      const cell = line.getCell(i + 1);
      cell.value = value;
      if (numFmt) cell.numFmt = numFmt;
    });
  });
  // Wide enough for the header and the widest value as shown (a CJK character takes two columns).
  table.headers.forEach((h, i) => {
    const longest = Math.max(displayWidth(h), ...table.rows.map((row) => displayWidth(cellText(row[i]))));
    sheet.getColumn(i + 1).width = Math.min(Math.max(longest + 2, 8), 40);
  });
}

/** The statistics report as a workbook: one sheet per table, figures as numbers with their formats. */
export async function renderStatsReportXlsx(report: StatsReport): Promise<Buffer> {
  // exceljs (some 30 MB resident) loads with the first workbook, not with the app.
  const { Workbook } = (await import('exceljs')).default;
  const workbook = new Workbook();
  workbook.creator = 'mediation-tracker';
  workbook.title = STATS_REPORT_TITLE;
  const caption = `${STATS_REPORT_TITLE}　${report.scopeName}　${chineseDate(report.summary.from)}至${chineseDate(report.summary.to)}`;
  for (const table of [summaryTable(report), monthlyTable(report), ...breakdownTables(report)]) addTableSheet(workbook, table, caption);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
