/**
 * A safe Content-Disposition header for a file name from anywhere (a user's upload included):
 * an ASCII fallback `filename="..."` with everything outside printable ASCII, quotes, backslashes
 * and path separators replaced, and the exact name as RFC 5987 / RFC 6266 `filename*=UTF-8''...`.
 */
export function contentDisposition(type: 'inline' | 'attachment', fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\/%;]/g, '_').trim() || 'file';
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}

/** Percent-encodes everything but RFC 5987's attr-char (encodeURIComponent leaves ' ( ) * ! unencoded). */
export function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}
