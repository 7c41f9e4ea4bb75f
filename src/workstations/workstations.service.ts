import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuthUser } from '../accounts-core/auth-user';
import { visibleWorkstationId } from '../accounts-core/scope';
import { DomainError, ErrorCode, notFound } from '../common/errors/domain-error';
import { CreateWorkstationDto } from './workstation.dto';
import { Workstation } from './workstation.entity';

@Injectable()
export class WorkstationsService {
  constructor(@InjectRepository(Workstation) private readonly repo: Repository<Workstation>) {}

  async create(dto: CreateWorkstationDto): Promise<Workstation> {
    if (await this.repo.exists({ where: { code: dto.code } })) {
      throw new DomainError(ErrorCode.AlreadyExists, `Workstation code ${dto.code} already exists`, { field: 'code' });
    }
    return this.repo.save(this.repo.create(dto));
  }

  list(user: AuthUser): Promise<Workstation[]> {
    const scope = visibleWorkstationId(user);
    if (scope === undefined) return Promise.resolve([]);
    return this.repo.find({ where: scope === null ? {} : { id: scope }, order: { code: 'ASC' } });
  }

  async get(id: string): Promise<Workstation> {
    const ws = await this.repo.findOne({ where: { id } });
    if (!ws) throw notFound('Workstation');
    return ws;
  }
}
