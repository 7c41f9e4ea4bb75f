import { Global, Module } from '@nestjs/common';
import { HeavyReadSlots } from './heavy-reads';

/**
 * Searches and exports limited per user and per instance (heavy-reads.ts). Global, so that the
 * route-scoped interceptor of @HeavyRead finds the one HeavyReadSlots from any module's controllers.
 */
@Global()
@Module({ providers: [HeavyReadSlots], exports: [HeavyReadSlots] })
export class HeavyReadsModule {}
