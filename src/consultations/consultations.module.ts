import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ConsultationsController } from './consultations.controller';
import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';

@Module({ imports: [CasesModule], controllers: [ConsultationsController], providers: [ConsultationsRepository, ConsultationsService] })
export class ConsultationsModule {}
