import { ref } from 'vue';
import { api } from './api/client';
import { i18n } from './i18n';

/** Labels of codes from GET /labels ({group: {code: {zh, en}}}) when the API has them; the page's own messages otherwise. */
type Labels = Record<string, Record<string, { zh: string; en: string }>>;
const serverLabels = ref<Labels>({});
let loaded: Promise<void> | null = null;

export function loadLabels(): Promise<void> {
  loaded ??= api
    .GET('/api/v1/labels')
    .then(({ data, response }) => {
      if (response.ok && data && typeof data === 'object') serverLabels.value = data as Labels;
    })
    .catch(() => undefined);
  return loaded;
}

export function label(group: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  const locale = i18n.global.locale.value as 'zh' | 'en';
  const fromServer = serverLabels.value[group]?.[code]?.[locale];
  if (fromServer) return fromServer;
  const key = `labels.${group}.${code}`;
  return i18n.global.te(key) ? i18n.global.t(key) : code;
}

/** The codes of a group, for selects: the page's own list, plus any the server adds. */
export function codes(group: string): string[] {
  const own = Object.keys((i18n.global.getLocaleMessage('zh') as { labels: Record<string, Record<string, string>> }).labels[group] ?? {});
  const server = Object.keys(serverLabels.value[group] ?? {});
  return [...new Set([...own, ...server])];
}
