import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { collectYoungGeneration } from '../common/young-generation';
import { AppConfigService } from '../config/app-config.service';
import { loadMallocTrim, MallocTrim, MallocTrimFigures, mallocTrimFigures } from './malloc-trim';

/** RSS growth since the last trim that makes the next check trim (smaller growth is left alone). */
export const TRIM_AFTER_GROWTH_BYTES = 8 * 1024 * 1024;

export type MemoryTrimFigures = MallocTrimFigures;

/** The rule: trim when the resident size grew by TRIM_AFTER_GROWTH_BYTES since the last trim. */
export class MemoryTrimmer {
  private rssAfterLastTrim: number;

  /** The first check trims whatever the RSS: what the start-up freed (its compiling, its module loading) goes back at once. */
  constructor(
    private readonly trim: MallocTrim,
    private readonly rss: () => number = () => process.memoryUsage.rss(),
    private readonly collectYoung: () => unknown = collectYoungGeneration,
  ) {
    this.rssAfterLastTrim = -TRIM_AFTER_GROWTH_BYTES;
  }

  /** Returns the bytes the trim released (0 when it did not trim). */
  trimIfGrown(): number {
    const before = this.rss();
    if (before < this.rssAfterLastTrim + TRIM_AFTER_GROWTH_BYTES) {
      // The RSS also falls (V8 gives heap pages back): the next growth counts from the lower figure.
      this.rssAfterLastTrim = Math.min(this.rssAfterLastTrim, before);
      return 0;
    }
    // Buffers that died since the last scavenge hold malloc memory a trim could not give back.
    this.collectYoung();
    this.trim(0);
    const after = this.rss();
    this.rssAfterLastTrim = after;
    return Math.max(0, before - after);
  }
}

/**
 * Gives memory that glibc's malloc keeps after a burst of work back to the kernel.
 *
 * Why: a CSV export, an upload or a batch of PDFs allocates and frees many MB of Buffers and
 * compiler memory through malloc. glibc keeps the freed pages in its arenas, where V8's own heap
 * cannot use them, so each heavy step's RSS stayed and the next step's memory came on top of it
 * (bench: 139 MB after start, 214 MB after the export, 248 MB at the peak in the documents).
 *
 * Every MALLOC_TRIM_INTERVAL_MS the resident size is read (one /proc read); when it grew enough,
 * a scavenge (where node exposes gc: Buffers that died young free their memory) and malloc_trim(0)
 * run on the main thread (0.3 to 13 ms in the bench, releasing up to 40 MB).
 */
@Injectable()
export class MemoryTrimService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MemoryTrim');
  private readonly intervalMs: number;
  private trimmer: MemoryTrimmer | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(config: AppConfigService) {
    this.intervalMs = config.get('MALLOC_TRIM_INTERVAL_MS');
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs === 0) return;
    const trim = loadMallocTrim();
    if (!trim) {
      this.logger.warn('glibc malloc_trim is not available here: freed native memory stays with the process');
      return;
    }
    this.trimmer = new MemoryTrimmer(trim);
    this.timer = setInterval(() => this.trimmer!.trimIfGrown(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Every malloc_trim of the process: this service's and the documents' (src/documents/cjk-fonts.ts). Zeros where there is none. */
  current(): MemoryTrimFigures {
    return mallocTrimFigures();
  }
}
