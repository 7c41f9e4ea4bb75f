import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordHasher } from '../auth/password-hasher';
import { Workstation } from '../workstations/workstation.entity';
import { MediatorRosterRepository } from './mediator-roster.repository';
import { MediatorRosterService } from './mediator-roster.service';
import { MediatorsController } from './mediators.controller';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, Workstation])],
  controllers: [UsersController, MediatorsController],
  providers: [UsersService, PasswordHasher, MediatorRosterRepository, MediatorRosterService],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
