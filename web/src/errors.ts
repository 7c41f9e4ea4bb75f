import { ElMessage } from 'element-plus';
import { ApiError } from './api/client';
import { i18n } from './i18n';

/** The API's text for an error in the page's language (messageZh in Chinese). */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return i18n.global.locale.value === 'zh' ? (e.body.messageZh ?? e.body.message) : e.body.message;
  if (e instanceof TypeError) return i18n.global.t('error.network');
  return String((e as Error)?.message ?? e);
}

const GENERIC_400_ZH = '提交的内容有误，请检查后重试';

/** The field's name in the page's language ("applicant.name" → 姓名 / 名称), from the i18n field labels. */
function fieldLabel(path: string): string {
  const last = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  const key = `field.${last}`;
  return i18n.global.te(key) ? i18n.global.t(key) : last;
}

/** What is wrong with one field, in the page's language (the API's own words kept in brackets). */
function problemText(e: ApiError, field: string, problems: string[]): string {
  if (i18n.global.locale.value !== 'zh') return problems.join('; ') || e.body.message;
  const specific = e.body.messageZh && e.body.messageZh !== GENERIC_400_ZH ? e.body.messageZh : null;
  return specific ?? `${fieldLabel(field)}不符合要求（${problems.join('; ') || e.body.message}）`;
}

/**
 * A 400's details by field path ("applicant.name", "installments.1.amount"): the validation pipe
 * gives [{field, problems}], domain errors {field} (with the message saying what is wrong).
 */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || e.status !== 400) return {};
  const d = e.body.details as unknown;
  const out: Record<string, string> = {};
  if (Array.isArray(d)) {
    for (const item of d) if (item && typeof item.field === 'string') out[item.field] = problemText(e, item.field, item.problems ?? []);
  } else if (d && typeof d === 'object' && typeof (d as { field?: unknown }).field === 'string') {
    const field = (d as { field: string }).field;
    out[field] = problemText(e, field, []);
  }
  return out;
}

export const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409;

export function toastError(e: unknown): void {
  ElMessage({ type: 'error', message: errorText(e), showClose: true, duration: 6000 });
}
