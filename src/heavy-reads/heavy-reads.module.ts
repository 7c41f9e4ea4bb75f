import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { HeavyReadSlots } from './heavy-reads';
import { HeavyReadsInterceptor } from './heavy-reads.interceptor';

/** Searches and exports limited per user (heavy-reads.ts). */
@Module({ providers: [HeavyReadSlots, { provide: APP_INTERCEPTOR, useClass: HeavyReadsInterceptor }], exports: [HeavyReadSlots] })
export class HeavyReadsModule {}
