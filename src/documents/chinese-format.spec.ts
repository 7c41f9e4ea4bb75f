import { chineseDate, chineseLastDayOf, groupedAmount, rmbCapitals } from './chinese-format';

describe('chinese-format', () => {
  it('writes amounts in financial capitals', () => {
    expect(rmbCapitals('12500.00')).toBe('壹万贰仟伍佰元整');
    expect(rmbCapitals('10000.05')).toBe('壹万元零伍分');
    expect(rmbCapitals('1005.50')).toBe('壹仟零伍元伍角');
    expect(rmbCapitals('100000000.00')).toBe('壹亿元整');
    expect(rmbCapitals('100010000.00')).toBe('壹亿零壹万元整');
    expect(rmbCapitals('0.30')).toBe('零元叁角');
    expect(rmbCapitals('35.27')).toBe('叁拾伍元贰角柒分');
  });

  it('groups thousands and keeps two decimals', () => {
    expect(groupedAmount('12500')).toBe('12,500.00');
    expect(groupedAmount('1234567.8')).toBe('1,234,567.80');
    expect(groupedAmount('73.50')).toBe('73.50');
  });

  it('shows the last day of a period, not the instant that ends it', () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日');
    // 24:00 of 13 December (Shanghai) is stored as 2026-12-13T16:00:00Z.
    expect(chineseLastDayOf(new Date('2026-12-13T16:00:00Z'))).toBe('2026年12月13日');
  });
});
