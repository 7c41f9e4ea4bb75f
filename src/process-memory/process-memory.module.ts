import { Global, Module } from '@nestjs/common';
import { MemoryTrimService } from './memory-trim.service';

/** The process's native memory: freed malloc memory handed back to the kernel after heavy work. */
@Global()
@Module({
  providers: [MemoryTrimService],
  exports: [MemoryTrimService],
})
export class ProcessMemoryModule {}
