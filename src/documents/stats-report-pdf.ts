import { chineseDate, chineseDateOf } from './chinese-format';
import { FONT_SIZE, OfficialPdf, PAGE } from './pdf-layout';
import { breakdownTables, cellText, monthlyTable, ReportTable, summaryTable } from './stats-report-table';
import { StatsReport } from './stats-report.service';

export const STATS_REPORT_TITLE = '劳动争议调解工作统计报表';

function drawTable(pdf: OfficialPdf, table: ReportTable, firstWidth = 2): void {
  pdf.heading(table.title, 80);
  pdf.table(
    table.headers.map((header, i) => ({ header, width: i === 0 ? firstWidth : header.includes('金额') ? 1.5 : 1, align: i === 0 ? 'left' : 'right' })),
    table.rows.map((row) => row.map(cellText)),
    { fontSize: FONT_SIZE.small },
  );
}

/** Received and concluded cases per month as paired bars, with the month under each pair. */
function drawMonthlyChart(pdf: OfficialPdf, report: StatsReport): void {
  const points = report.months.points;
  if (points.length === 0) return;
  const doc = pdf.doc;
  const height = 140;
  pdf.heading('分月受理与办结');
  pdf.ensureSpace(height + 40);
  const top = doc.y + 6;
  const left = PAGE.left + 28;
  const width = pdf.width - 28;
  const max = Math.max(1, ...points.map((p) => Math.max(p.received, p.concluded)));
  const slot = width / points.length;
  const bar = Math.min(14, slot / 3);
  doc.lineWidth(0.5).strokeColor('#000000').moveTo(left, top).lineTo(left, top + height).lineTo(left + width, top + height).stroke();
  doc.font('serif').fontSize(FONT_SIZE.small - 1).fillColor('#000000').text(String(max), PAGE.left, top - 4, { width: 24, align: 'right' });
  doc.text('0', PAGE.left, top + height - 6, { width: 24, align: 'right' });
  points.forEach((p, i) => {
    const x = left + i * slot + slot / 2 - bar;
    const h1 = (p.received / max) * height;
    const h2 = (p.concluded / max) * height;
    doc.rect(x, top + height - h1, bar, h1).fill('#3b6fb6');
    doc.rect(x + bar, top + height - h2, bar, h2).fill('#d08a2e');
    doc.fillColor('#000000').text(p.month.slice(2), left + i * slot, top + height + 3, { width: slot, align: 'center', lineBreak: false });
  });
  const legendY = top + height + 16;
  doc.rect(left, legendY, 8, 8).fill('#3b6fb6');
  doc.fillColor('#000000').text('受理', left + 11, legendY - 1, { lineBreak: false });
  doc.rect(left + 50, legendY, 8, 8).fill('#d08a2e');
  doc.fillColor('#000000').text('办结', left + 61, legendY - 1, { lineBreak: false });
  doc.x = PAGE.left;
  doc.y = legendY + 18;
}

export async function renderStatsReport(report: StatsReport): Promise<Buffer> {
  const s = report.summary;
  const pdf = new OfficialPdf({ title: STATS_REPORT_TITLE, subject: `${s.from} – ${s.to}` });
  pdf.title(STATS_REPORT_TITLE, `${report.scopeName}　${chineseDate(s.from)}至${chineseDate(s.to)}`);
  const summary = summaryTable(report);
  pdf.heading(summary.title);
  pdf.table(
    [
      { header: '指标', width: 2 },
      { header: '数值', width: 1.5, align: 'right' },
    ],
    summary.rows.map((row) => row.map(cellText)),
  );
  drawMonthlyChart(pdf, report);
  drawTable(pdf, monthlyTable(report), 1.1);
  for (const table of breakdownTables(report)) drawTable(pdf, table);
  pdf.paragraph(
    `说明：办结指调解以达成协议、调解不成或撤回结束的案件；调解成功率＝达成协议÷办结；作废案件不计入任何指标。制表日期：${chineseDateOf(report.generatedAt)}。`,
    { indent: false },
  );
  return pdf.finish();
}
