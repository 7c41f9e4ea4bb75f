import { Module } from '@nestjs/common';
import { AgreementsRepository } from './agreements.repository';
import { CaseEventsRepository } from './case-events.repository';
import { CaseTransactionService } from './case-transaction.service';
import { CasesRepository } from './cases.repository';
import { ConfirmationsRepository } from './confirmations.repository';
import { SessionsRepository } from './sessions.repository';

const SHARED = [CaseTransactionService, CasesRepository, CaseEventsRepository, SessionsRepository, AgreementsRepository, ConfirmationsRepository];

/**
 * What every case part shares, at the bottom of the case domain: the locked and versioned write
 * path (one instance per process, so that its per-case gate sees every writer) and the
 * repositories of the case's aggregates. The entities, the lifecycle, the timeline and the views
 * of this folder are plain imports.
 */
@Module({ providers: SHARED, exports: SHARED })
export class CaseCoreModule {}
