import { detectFileType } from './file-signature';
import { safeFileName } from './file-name';

/** A ZIP local file header naming `name` (enough for the detection). */
function zipEntry(name: string): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([header, Buffer.from(name, 'latin1'), Buffer.from('data')]);
}

describe('detectFileType', () => {
  it('recognises the accepted types by content', () => {
    expect(detectFileType(Buffer.from('%PDF-1.7\n...'))).toBe('pdf');
    expect(detectFileType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg');
    expect(detectFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe('png');
    expect(detectFileType(Buffer.concat([zipEntry('[Content_Types].xml'), zipEntry('_rels/.rels'), zipEntry('word/document.xml')]))).toBe('docx');
    expect(detectFileType(Buffer.concat([zipEntry('[Content_Types].xml'), zipEntry('xl/workbook.xml')]))).toBe('xlsx');
  });

  it('refuses everything else, whatever it is called', () => {
    expect(detectFileType(Buffer.from('MZ\x90\x00\x03\x00\x00\x00'))).toBeNull(); // a Windows executable
    expect(detectFileType(Buffer.concat([zipEntry('[Content_Types].xml'), zipEntry('ppt/presentation.xml')]))).toBeNull();
    expect(detectFileType(Buffer.concat([zipEntry('readme.txt')]))).toBeNull(); // a plain ZIP
    expect(detectFileType(Buffer.from('<html><script>'))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
  });
});

describe('safeFileName', () => {
  it('keeps the last path component without control or direction characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\x\\证据.pdf')).toBe('证据.pdf');
    expect(safeFileName('a\r\nContent-Type: text\u0000.pdf')).toBe('aContent-Type: text.pdf');
    expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('')).toBe('file');
    expect(safeFileName(undefined)).toBe('file');
  });

  it('shortens long names and keeps the extension', () => {
    const name = safeFileName(`${'长'.repeat(300)}.docx`);
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('.docx')).toBe(true);
  });
});
