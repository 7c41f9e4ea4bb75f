import { CSV_BOM, csvLine, csvPlain, csvText } from './csv';

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

  it('ends lines with CRLF and starts files with a BOM', () => {
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
    expect(Buffer.from(CSV_BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
