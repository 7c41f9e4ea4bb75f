import { ElMessage } from 'element-plus';
import { ApiError } from './api/client';
import { i18n } from './i18n';

/** The API's text for an error in the page's language (messageZh in Chinese). */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return i18n.global.locale.value === 'zh' ? (e.body.messageZh ?? e.body.message) : e.body.message;
  if (e instanceof TypeError) return i18n.global.t('error.network');
  return String((e as Error)?.message ?? e);
}

/**
 * A 400's details by field path ("applicant.name", "installments.1.amount"): the validation pipe
 * gives [{field, problems}], domain errors {field} (with the message saying what is wrong).
 */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || e.status !== 400) return {};
  const d = e.body.details as unknown;
  const out: Record<string, string> = {};
  const prefix = i18n.global.locale.value === 'zh' ? `${e.body.messageZh ?? ''}：` : '';
  if (Array.isArray(d)) {
    for (const item of d) if (item && typeof item.field === 'string') out[item.field] = `${prefix}${(item.problems ?? []).join('; ')}`;
  } else if (d && typeof d === 'object' && typeof (d as { field?: unknown }).field === 'string') {
    out[(d as { field: string }).field] = errorText(e) === e.body.message ? e.body.message : `${errorText(e)}（${e.body.message}）`;
  }
  return out;
}

export const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409;

export function toastError(e: unknown): void {
  ElMessage({ type: 'error', message: errorText(e), showClose: true, duration: 6000 });
}
