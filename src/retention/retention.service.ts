import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AttachmentStorage, StoredBlob } from '../attachments/attachment-storage';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { AppConfigService } from '../config/app-config.service';
import { RetentionRepository } from './retention.repository';

const BATCH = 100;
/** How often the job looks for cases past retention (it is idempotent: anonymised ones are skipped). */
export const RETENTION_CHECK_EVERY_MS = 6 * 3600 * 1000;
/** One instance at a time (a transaction-level advisory lock). */
const RETENTION_LOCK_KEY = 7_202_611;

/** The cutoff: concluded before this instant means past retention. */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff;
}

/**
 * Anonymises concluded cases older than RETENTION_YEARS (default 10): names, numbers, phones,
 * addresses and free text replaced in the case, its sessions, agreement, confirmation,
 * notifications and timeline; attachments removed, their content too (S3 objects once the batch
 * has committed, so that a rolled-back batch keeps its files); each case recorded in the audit log.
 * Statistics read none of these fields, so they do not change. Runs in worker processes at
 * start and every 6 hours, in batches, one instance at a time.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly repo: RetentionRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfigService,
    private readonly storage: AttachmentStorage,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runLogged(), RETENTION_CHECK_EVERY_MS);
    this.timer.unref();
    setTimeout(() => void this.runLogged(), 60_000).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Anonymises every case due; returns how many. */
  async run(): Promise<number> {
    const cutoff = retentionCutoff(this.clock.now(), this.config.get('RETENTION_YEARS'));
    let total = 0;
    for (;;) {
      const { done, removed } = await this.dataSource.transaction(async (em) => {
        if (!(await this.repo.tryLockRun(em, RETENTION_LOCK_KEY))) return { done: 0, removed: [] as StoredBlob[] };
        const due = await this.repo.lockDue(em, cutoff, BATCH);
        if (!due.length) return { done: 0, removed: [] as StoredBlob[] };
        const removed = await this.repo.anonymise(
          em,
          due.map((c) => c.id),
        );
        await this.audit.recordMany(
          em,
          due.map((c) => ({ actor: null, action: 'case.anonymised' as const, caseId: c.id, details: { caseNumber: c.case_number, retentionYears: this.config.get('RETENTION_YEARS') } })),
        );
        return { done: due.length, removed };
      });
      // An object that cannot be deleted now is named in the log (its row, and so the way to it, is gone).
      if (removed.length) await this.storage.remove(removed).catch((e: Error) => this.logger.error(`retention: attachment content left in storage: ${e.message}`));
      total += done;
      if (done < BATCH) return total;
    }
  }

  private runLogged(): Promise<number> {
    this.running = this.run().then(
      (n) => {
        if (n) this.logger.log(`anonymised ${n} case(s) past ${this.config.get('RETENTION_YEARS')} years`);
        return n;
      },
      (e) => {
        this.logger.warn(`retention run failed: ${(e as Error).message}`);
        return 0;
      },
    );
    return this.running;
  }
}
