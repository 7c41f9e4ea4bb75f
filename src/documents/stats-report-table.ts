import { StatsFiguresDto } from '../stats/dto/stats.response';
import { DISPUTE_TYPE_LABELS } from '../labels/labels';
import { groupedAmount } from './chinese-format';
import { StatsReport } from './stats-report.service';

/**
 * The report's tables, one definition for the PDF and the .xlsx: each column a Chinese header,
 * and a cell as a number, a rate (0..1), an amount (decimal string) or text.
 */
export type ReportCell = { text: string } | { count: number } | { rate: number | null } | { amount: string } | { days: number | null };

export interface ReportTable {
  title: string;
  headers: string[];
  rows: ReportCell[][];
}

const FIGURE_HEADERS = ['受理', '办结', '达成协议', '调解不成', '撤回', '司法确认', '调解成功率', '平均办结天数', '协议金额（元）'];

function figureCells(f: StatsFiguresDto): ReportCell[] {
  return [
    { count: f.received },
    { count: f.concluded },
    { count: f.agreements },
    { count: f.failed },
    { count: f.withdrawn },
    { count: f.confirmed },
    { rate: f.successRate },
    { days: f.avgDaysToConclude },
    { amount: f.amountAgreed },
  ];
}

export function summaryTable(r: StatsReport): ReportTable {
  const s = r.summary;
  const rows: Array<[string, ReportCell]> = [
    ['受理案件', { count: s.received }],
    ['办结案件', { count: s.concluded }],
    ['达成调解协议', { count: s.agreements }],
    ['调解不成', { count: s.failed }],
    ['撤回', { count: s.withdrawn }],
    ['司法确认', { count: s.confirmed }],
    ['调解成功率', { rate: s.successRate }],
    ['司法确认率', { rate: s.confirmationRate }],
    ['平均办结天数', { days: s.avgDaysToConclude }],
    ['协议金额（元）', { amount: s.amountAgreed }],
    ['当前超期未结案件', { count: s.overdueOpen }],
  ];
  return { title: '主要指标', headers: ['指标', '数值'], rows: rows.map(([label, cell]) => [{ text: label }, cell]) };
}

export function monthlyTable(r: StatsReport): ReportTable {
  return { title: '分月统计', headers: ['月份', ...FIGURE_HEADERS], rows: r.months.points.map((p) => [{ text: p.month }, ...figureCells(p)]) };
}

export function breakdownTables(r: StatsReport): ReportTable[] {
  const tables: ReportTable[] = [
    {
      title: '按纠纷类型',
      headers: ['纠纷类型', ...FIGURE_HEADERS],
      rows: r.byDisputeType.rows.map((row) => [{ text: DISPUTE_TYPE_LABELS[row.disputeType as keyof typeof DISPUTE_TYPE_LABELS] ?? String(row.disputeType) }, ...figureCells(row)]),
    },
    {
      title: '按调解员',
      headers: ['调解员', ...FIGURE_HEADERS],
      rows: r.byMediator.rows.map((row) => [{ text: row.displayName ?? '未分派' }, ...figureCells(row)]),
    },
  ];
  if (r.byWorkstation.rows.length > 1) {
    tables.push({ title: '按工作室', headers: ['工作室', ...FIGURE_HEADERS], rows: r.byWorkstation.rows.map((row) => [{ text: row.name ?? '' }, ...figureCells(row)]) });
  }
  return tables;
}

/** A cell as the PDF prints it. */
export function cellText(cell: ReportCell): string {
  if ('text' in cell) return cell.text;
  if ('count' in cell) return String(cell.count);
  if ('rate' in cell) return cell.rate === null ? '—' : `${(cell.rate * 100).toFixed(1)}%`;
  if ('days' in cell) return cell.days === null ? '—' : cell.days.toFixed(1);
  return groupedAmount(cell.amount);
}
