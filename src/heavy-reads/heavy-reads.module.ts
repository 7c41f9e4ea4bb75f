import { Global, Module } from '@nestjs/common';
import { HeavyReadGate } from './heavy-read-gate';
import { HeavyReadSlots } from './heavy-reads';
import { InteractiveRequests } from './interactive-requests';

/**
 * Searches and exports limited per user and per instance (heavy-reads.ts). Global, so that the
 * route-scoped interceptor of @HeavyRead finds the one HeavyReadSlots from any module's controllers, and the
 * exports the one InteractiveRequests that they yield to.
 */
@Global()
@Module({ providers: [HeavyReadSlots, InteractiveRequests, HeavyReadGate], exports: [HeavyReadSlots, InteractiveRequests, HeavyReadGate] })
export class HeavyReadsModule {}
