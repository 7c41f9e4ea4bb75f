import { Module } from '@nestjs/common';
import { ServiceAccountsController } from './service-accounts.controller';
import { ServiceAccountsRepository } from './service-accounts.repository';
import { ServiceAccountsService } from './service-accounts.service';

/** POST/GET/DELETE /service-accounts (admin); the guard (src/auth) accepts their API keys. */
@Module({
  controllers: [ServiceAccountsController],
  providers: [ServiceAccountsRepository, ServiceAccountsService],
})
export class ServiceAccountsModule {}
