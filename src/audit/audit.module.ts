import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { IdentityViewAudit } from './identity-view-audit';

/**
 * The audit log: AuditService.record(em | null, entry) for every module, GET /audit for admins;
 * answers showing whole identity numbers (IdentityViewAudit, registered by bootstrap) and exports
 * (@AuditedExport) recorded.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, IdentityViewAudit],
  exports: [AuditService, IdentityViewAudit],
})
export class AuditModule {}
