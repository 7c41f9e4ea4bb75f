import { ElMessage } from 'element-plus';
import { session } from './auth';
import { i18n } from './i18n';

/**
 * Downloads a file the API serves (documents, attachments, exports) with the bearer token in the
 * header, never in a URL, and saves it under `fileName`.
 */
export async function download(path: string, fileName: string): Promise<boolean> {
  try {
    const res = await fetch(path, { headers: session.token ? { Authorization: `Bearer ${session.token}` } : {} });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { messageZh?: string; message?: string } | null;
      throw new Error((i18n.global.locale.value === 'zh' ? body?.messageZh : body?.message) ?? `${res.status} ${res.statusText}`);
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return true;
  } catch (e) {
    ElMessage({ type: 'error', message: String((e as Error).message), showClose: true });
    return false;
  }
}
