import { Module } from '@nestjs/common';
import { CaseTransactionService } from './case-transaction.service';

/**
 * What every case part shares, at the bottom of the case domain: the locked and versioned write
 * path (one instance per process, so that its per-case gate sees every writer). The entities, the
 * lifecycle, the timeline and the views of this folder are plain imports.
 */
@Module({ providers: [CaseTransactionService], exports: [CaseTransactionService] })
export class CaseCoreModule {}
