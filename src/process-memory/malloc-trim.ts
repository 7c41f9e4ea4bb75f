/** `malloc_trim(pad)`: glibc hands the free pages of its arenas back to the kernel; 1 if it released any. */
export type MallocTrim = (pad: number) => number;

export interface MallocTrimFigures {
  trims: number;
  /** Resident memory those trims gave back (RSS before the call less RSS after it). */
  releasedBytes: number;
  /** Time the main thread spent inside malloc_trim, in seconds. */
  seconds: number;
}

/** Every trim of this process, whoever asked for it (the trim service, the documents): /metrics reports these. */
const ledger: MallocTrimFigures = { trims: 0, releasedBytes: 0, seconds: 0 };

export function mallocTrimFigures(): MallocTrimFigures {
  return { ...ledger };
}

/** The same trim, each call counted in the process's ledger. */
export function countedTrim(trim: MallocTrim, rss: () => number = () => process.memoryUsage.rss()): MallocTrim {
  return (pad) => {
    const before = rss();
    const started = process.hrtime.bigint();
    const result = trim(pad);
    ledger.seconds += Number(process.hrtime.bigint() - started) / 1e9;
    ledger.trims += 1;
    ledger.releasedBytes += Math.max(0, before - rss());
    return result;
  };
}

/**
 * glibc's `malloc_trim`, reached through koffi (a foreign-function library with prebuilt binaries),
 * counted in the ledger; or null where there is none (musl, macOS, a platform koffi has no binary
 * for): then nothing is trimmed.
 */
export function loadMallocTrim(): MallocTrim | null {
  if (process.platform !== 'linux') return null;
  try {
    // Loaded here, on Linux only, so that other platforms never load the native binary.
    const koffi = require('koffi') as typeof import('koffi');
    const trim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)');
    return countedTrim((pad) => trim(pad) as number);
  } catch {
    return null;
  }
}
