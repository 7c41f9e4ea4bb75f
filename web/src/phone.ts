import { onMounted, onUnmounted, ref } from 'vue';

/** True on a narrow screen (a phone): lists become cards. */
export function usePhone() {
  const query = window.matchMedia('(max-width: 700px)');
  const phone = ref(query.matches);
  const update = () => (phone.value = query.matches);
  onMounted(() => query.addEventListener('change', update));
  onUnmounted(() => query.removeEventListener('change', update));
  return phone;
}
