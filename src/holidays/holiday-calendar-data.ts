/**
 * The State Council's published holiday arrangements (国务院办公厅关于…部分节假日安排的通知):
 * `holiday` days are days off (放假, including the weekends inside a holiday block), `workday`
 * days are weekend days that are working days (调休上班). Seeded by the CourtPaths migration;
 * admins keep later years through `PUT /holidays/:year`.
 */
export interface HolidayEntry {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
}

const range = (from: string, to: string, name: string): HolidayEntry[] => {
  const days: HolidayEntry[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86400_000)) {
    days.push({ day: d.toISOString().slice(0, 10), kind: 'holiday', name });
  }
  return days;
};
const workday = (day: string, name: string): HolidayEntry => ({ day, kind: 'workday', name: `${name}调休上班` });

/** 国办发明电〔2024〕12号: 2025. */
export const HOLIDAYS_2025: HolidayEntry[] = [
  ...range('2025-01-01', '2025-01-01', '元旦'),
  ...range('2025-01-28', '2025-02-04', '春节'),
  workday('2025-01-26', '春节'),
  workday('2025-02-08', '春节'),
  ...range('2025-04-04', '2025-04-06', '清明节'),
  ...range('2025-05-01', '2025-05-05', '劳动节'),
  workday('2025-04-27', '劳动节'),
  ...range('2025-05-31', '2025-06-02', '端午节'),
  ...range('2025-10-01', '2025-10-08', '国庆节、中秋节'),
  workday('2025-09-28', '国庆节'),
  workday('2025-10-11', '国庆节'),
];

/** 国办发明电〔2025〕7号: 2026. */
export const HOLIDAYS_2026: HolidayEntry[] = [
  ...range('2026-01-01', '2026-01-03', '元旦'),
  workday('2026-01-04', '元旦'),
  ...range('2026-02-15', '2026-02-23', '春节'),
  workday('2026-02-14', '春节'),
  workday('2026-02-28', '春节'),
  ...range('2026-04-04', '2026-04-06', '清明节'),
  ...range('2026-05-01', '2026-05-05', '劳动节'),
  workday('2026-05-09', '劳动节'),
  ...range('2026-06-19', '2026-06-21', '端午节'),
  ...range('2026-09-25', '2026-09-27', '中秋节'),
  ...range('2026-10-01', '2026-10-07', '国庆节'),
  workday('2026-09-20', '国庆节'),
  workday('2026-10-10', '国庆节'),
];

export const SEEDED_HOLIDAYS: HolidayEntry[] = [...HOLIDAYS_2025, ...HOLIDAYS_2026];
