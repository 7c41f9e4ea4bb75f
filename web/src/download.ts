import { unwrap } from './api/client';
import { toastError } from './errors';

/**
 * Saves a file the API serves (documents, attachments, exports) under `fileName`. The request goes
 * through the typed client (`parseAs: 'blob'`), so the bearer token is in a header, never in a URL,
 * and an expired session or an error body is handled as for any other call (the API's message shown
 * in the page's language).
 */
export async function saveFile(call: Promise<{ data?: unknown; error?: unknown; response: Response }>, fileName: string): Promise<boolean> {
  try {
    const blob = (await unwrap(call)) as Blob;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return true;
  } catch (e) {
    toastError(e);
    return false;
  }
}
