/**
 * Sets `key` in `map` as its newest entry (a Map iterates in insertion order), then drops the
 * oldest entries beyond `limit`: the write side of the small caches that keep what was used last
 * (a `get` that should count as a use re-sets its entry the same way).
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value as K);
}
