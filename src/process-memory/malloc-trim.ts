/** `malloc_trim(pad)`: glibc hands the free pages of its arenas back to the kernel; 1 if it released any. */
export type MallocTrim = (pad: number) => number;

/**
 * glibc's `malloc_trim`, reached through koffi (a foreign-function library with prebuilt binaries),
 * or null where there is none (musl, macOS, a platform koffi has no binary for): then nothing is trimmed.
 */
export function loadMallocTrim(): MallocTrim | null {
  if (process.platform !== 'linux') return null;
  try {
    // Loaded here, on Linux only, so that other platforms never load the native binary.
    const koffi = require('koffi') as typeof import('koffi');
    const trim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)');
    return (pad) => trim(pad) as number;
  } catch {
    return null;
  }
}
