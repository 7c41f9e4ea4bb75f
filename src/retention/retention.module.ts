import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/** The retention job; loaded where workers run (app.module WORKER_MODULES). */
@Module({ imports: [AttachmentsModule], providers: [RetentionRepository, RetentionService], exports: [RetentionService] })
export class RetentionModule {}
