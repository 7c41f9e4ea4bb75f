/** The longest file name kept (characters). */
export const MAX_FILE_NAME_LENGTH = 200;

/**
 * A file name from a client made safe to store and to send back: only the last path component
 * (no "../", no "C:\\"), without control characters (C0, DEL, C1) or the invisible direction
 * marks that make "gpj.exe" read as "exe.jpg", without leading dots, at most 200 characters
 * (the extension kept), and "file" when nothing is left.
 */
export function safeFileName(raw: string | undefined | null): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '');
  name = name.replace(/^[.\s]+/, '').replace(/\s+$/, '');
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME_LENGTH) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = chars.slice(0, MAX_FILE_NAME_LENGTH - [...extension].length).join('') + extension;
  }
  return name || 'file';
}
