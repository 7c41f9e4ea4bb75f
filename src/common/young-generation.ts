/**
 * Frees Buffers that died young, during transfers of many MB (an attachment's upload or download,
 * a CSV export).
 *
 * Why: a Buffer's bytes live outside V8's heap and its JavaScript object is small, so a transfer
 * makes many MB of dead Buffers but little garbage in the young generation; they wait for the next
 * scavenge, which may be many MB later (V8's own trigger for such external memory is some 64 MB),
 * and the process's resident size rises by what they hold (bench: a 20 MB attachment raised it by
 * 18.6 MB). A scavenge every few MB lets malloc reuse their memory instead. A scavenge of the
 * young generation takes about a millisecond.
 *
 * V8's `gc` is there only when node runs with `--expose-gc` (package.json's start:prod and the
 * Dockerfile do); without it nothing is collected early.
 */

/** Transferred bytes between two scavenges. */
export const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

type ExposedGc = (options: { type: 'minor' | 'major' }) => void;

/** Runs a scavenge of the young generation now; false when node does not expose `gc`. */
export function collectYoungGeneration(): boolean {
  const gc = (globalThis as { gc?: ExposedGc }).gc;
  if (typeof gc !== 'function') return false;
  gc({ type: 'minor' });
  return true;
}

/** Counts a transfer's bytes and runs a scavenge after every COLLECT_EVERY_BYTES of them. */
export class TransferCollector {
  private sinceLast = 0;

  constructor(
    private readonly everyBytes = COLLECT_EVERY_BYTES,
    private readonly collect: () => unknown = collectYoungGeneration,
  ) {}

  transferred(bytes: number): void {
    this.sinceLast += bytes;
    if (this.sinceLast < this.everyBytes) return;
    this.sinceLast = 0;
    this.collect();
  }
}
