import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PasswordHasher } from '../accounts-core/password-hasher';
import { Workstation } from '../workstations/workstation.entity';
import { MediatorRosterRepository } from './mediator-roster.repository';
import { MediatorRosterService } from './mediator-roster.service';
import { MediatorsController } from './mediators.controller';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, Workstation])],
  controllers: [UsersController, MediatorsController],
  providers: [UsersService, UsersRepository, PasswordHasher, MediatorRosterRepository, MediatorRosterService],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
