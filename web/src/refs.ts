import { ref } from 'vue';
import { api, unwrap } from './api/client';
import type { UserView, WorkstationView } from './api/types';
import { hasRole } from './auth';

/** Workstations and mediators for selects and names, loaded once per page load. */
export const workstations = ref<WorkstationView[]>([]);
export const mediators = ref<UserView[]>([]);
let loading: Promise<void> | null = null;

export function loadRefs(): Promise<void> {
  loading ??= (async () => {
    const [ws, ms] = await Promise.all([
      unwrap(api.GET('/api/v1/workstations')).catch(() => []),
      hasRole('admin', 'union_staff', 'court_clerk') ? unwrap(api.GET('/api/v1/users', { params: { query: { role: 'mediator' } } })).catch(() => []) : Promise.resolve([]),
    ]);
    workstations.value = ((ws as { items?: WorkstationView[] }).items ?? ws) as WorkstationView[];
    mediators.value = ((ms as { items?: UserView[] }).items ?? ms) as UserView[];
  })();
  return loading;
}

export const workstationName = (id: string | null | undefined) => workstations.value.find((w) => w.id === id)?.name ?? '—';
export const mediatorName = (id: string | null | undefined) => mediators.value.find((m) => m.id === id)?.displayName ?? null;
