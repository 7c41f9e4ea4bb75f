/**
 * What a file is, from its first bytes (magic numbers), never from its name or the type the
 * client claims. Only the types attachments accept are recognised: PDF, JPEG, PNG, and the two
 * Office Open XML formats, told apart by the entries of their ZIP container (word/ or xl/).
 *
 * (The `file-type` package that NestJS brings in is ES-module-only since v17 and cannot be
 * required from this CommonJS build; these five signatures need no library.)
 */
export const ATTACHMENT_FILE_TYPES = ['pdf', 'jpeg', 'png', 'docx', 'xlsx'] as const;
export type AttachmentFileType = (typeof ATTACHMENT_FILE_TYPES)[number];

export const CONTENT_TYPES: Record<AttachmentFileType, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** How many leading bytes the detection reads (the ZIP entries of an Office file come early). */
export const SIGNATURE_BYTES = 64 * 1024;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The names of the ZIP entries whose local headers lie within `head`. */
function zipEntryNames(head: Buffer): string[] {
  const names: string[] = [];
  for (let at = head.indexOf(ZIP_LOCAL_HEADER); at !== -1 && at + 30 <= head.length; at = head.indexOf(ZIP_LOCAL_HEADER, at + 4)) {
    const nameLength = head.readUInt16LE(at + 26);
    if (at + 30 + nameLength > head.length) break;
    names.push(head.toString('latin1', at + 30, at + 30 + nameLength));
  }
  return names;
}

export function detectFileType(head: Buffer): AttachmentFileType | null {
  if (head.length >= 5 && head.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG)) return 'png';
  if (head.length >= 30 && head.subarray(0, 4).equals(ZIP_LOCAL_HEADER)) {
    const names = zipEntryNames(head);
    if (!names.includes('[Content_Types].xml')) return null;
    if (names.some((n) => n.startsWith('word/'))) return 'docx';
    if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  }
  return null;
}
