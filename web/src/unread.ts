import { ref } from 'vue';
import { api } from './api/client';
import { session } from './auth';

/** The unread count in the header: refreshed on every page change, every 30 s, and after reading. */
export const unreadCount = ref(0);

export async function refreshUnread(): Promise<void> {
  if (!session.token) return;
  const { data, response } = await api.GET('/api/v1/notifications', { params: { query: { unread: 'true', pageSize: 1 } } });
  if (response.ok && data) unreadCount.value = (data as { total: number }).total;
}
