import { CSV_BOM, csvLine, csvPlain, csvText, csvVerbatim } from './csv';

describe('csv cells', () => {
  it('quotes cells with commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvText('plain')).toBe('plain');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('line\nbreak')).toBe('"line\nbreak"');
    expect(csvText('cr\rlf')).toBe('"cr\rlf"');
    expect(csvText('中文，全角逗号')).toBe('中文，全角逗号');
  });

  it('guards text cells that Excel would evaluate as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvText(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvText('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvText('a=b')).toBe('a=b');
  });

  it('leaves cells the code produced alone, and empty values empty', () => {
    expect(csvPlain('12500.00')).toBe('12500.00');
    expect(csvPlain(3)).toBe('3');
    expect(csvPlain(null)).toBe('');
    expect(csvText(undefined)).toBe('');
  });

  it('keeps number-like text as written in Excel with a leading tab, and guards the rest as text', () => {
    expect(csvVerbatim('12500.00')).toBe('\t12500.00');
    expect(csvVerbatim('914201001234567890')).toBe('\t914201001234567890');
    expect(csvVerbatim('2026-000001')).toBe('\t2026-000001');
    expect(csvVerbatim('-1.5')).toBe('\t-1.5');
    expect(csvVerbatim('91420100MA4K0000XX')).toBe('91420100MA4K0000XX');
    expect(csvVerbatim('WS01-2026-000001')).toBe('WS01-2026-000001');
    expect(csvVerbatim('（2026）鄂0102民初1234号')).toBe('（2026）鄂0102民初1234号');
    expect(csvVerbatim('=1+1')).toBe("'=1+1");
    expect(csvVerbatim('eee')).toBe('eee');
    expect(csvVerbatim('1,000.00')).toBe('"\t1,000.00"');
    expect(csvVerbatim(null)).toBe('');
  });

  it('ends lines with CRLF and starts files with a BOM', () => {
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
    expect(Buffer.from(CSV_BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
