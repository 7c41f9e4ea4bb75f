import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../accounts-core/auth-user';
import { canSeeWorkstation, visibleWorkstationId } from '../accounts-core/scope';
import { isValidCalendarDate } from '../common/business-time';
import { Clock } from '../common/clock';
import { assertNotInFuture, conflict, forbidden, invalidInput, notFound } from '../common/errors/domain-error';
import { CaseIntakeService } from '../cases/case-intake.service';
import { CreateCaseDto } from '../cases/dto/create-case.dto';
import { ConvertConsultationDto, CreateConsultationDto, ListConsultationsQuery } from './consultation.dto';
import { Consultation } from './consultation.entity';
import { ConsultationsRepository } from './consultations.repository';

export function toConsultationView(k: Consultation) {
  return {
    id: k.id,
    workstationId: k.workstationId,
    consultedAt: k.consultedAt,
    channel: k.channel,
    name: k.name,
    phone: k.phone,
    employer: k.employer,
    question: k.question,
    advice: k.advice,
    outcome: k.outcome,
    caseId: k.caseId,
    createdAt: k.createdAt,
  };
}

/** Window, hotline and visit consultations (DESIGN.md "Consultations"): logged and counted, converted into a case in one step. */
@Injectable()
export class ConsultationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: ConsultationsRepository,
    private readonly intake: CaseIntakeService,
    private readonly clock: Clock,
  ) {}

  async create(actor: AuthUser, dto: CreateConsultationDto) {
    if (!canSeeWorkstation(actor, dto.workstationId)) throw forbidden('You may only log consultations of your own workstation', '您只能登记本工作室的咨询');
    const now = this.clock.now();
    const consultedAt = dto.consultedAt ? new Date(dto.consultedAt) : now;
    assertNotInFuture(consultedAt, now, 'consultedAt');
    if (!(await this.repo.workstationExists(dto.workstationId))) throw invalidInput('workstationId does not exist', { field: 'workstationId' }, '工作室不存在');
    const saved = await this.repo.insert({
      workstationId: dto.workstationId,
      consultedAt,
      channel: dto.channel,
      name: dto.name,
      phone: dto.phone ?? null,
      employer: dto.employer ?? null,
      question: dto.question,
      advice: dto.advice ?? null,
      outcome: dto.outcome,
      caseId: null,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    return toConsultationView(saved);
  }

  async list(actor: AuthUser, query: ListConsultationsQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    for (const field of ['from', 'to'] as const) {
      const value = query[field];
      if (value && !isValidCalendarDate(value)) throw invalidInput(`${field} is not a calendar date`, { field }, '日期不是有效的日历日期');
    }
    if (query.from && query.to && query.from > query.to) throw invalidInput('from must not be after to', { field: 'from' }, '开始日期不能晚于结束日期');
    const { items, total } = await this.repo.list({ scope: visibleWorkstationId(actor), ...query }, page, pageSize);
    return { items: items.map(toConsultationView), total, page, pageSize };
  }

  async get(actor: AuthUser, id: string) {
    const k = await this.repo.findById(id);
    if (!k || !canSeeWorkstation(actor, k.workstationId)) throw notFound('Consultation');
    return toConsultationView(k);
  }

  /** Intake from a consultation in one transaction: the case carries its facts over, the consultation records the case. */
  async convert(actor: AuthUser, id: string, dto: ConvertConsultationDto) {
    return this.dataSource.transaction(async (em) => {
      const k = await this.repo.lock(em, id);
      if (!k || !canSeeWorkstation(actor, k.workstationId)) throw notFound('Consultation');
      if (k.caseId) throw conflict('This consultation was already converted into a case', { caseId: k.caseId }, '该咨询已转为调解案件');
      const applicant = dto.applicant ?? { name: k.name, ...(k.phone ? { phone: k.phone } : {}) };
      const respondentName = dto.respondent?.name ?? k.employer;
      if (!respondentName) throw invalidInput('respondent is required: the consultation names no employer', { field: 'respondent' }, '咨询记录没有用人单位，请填写被申请人');
      const body: CreateCaseDto = {
        workstationId: k.workstationId,
        source: dto.source ?? (k.channel === 'hotline' ? 'hotline' : 'walk_in'),
        disputeType: dto.disputeType,
        summary: dto.summary ?? k.question,
        claimAmount: dto.claimAmount,
        applicant,
        respondent: dto.respondent ?? { name: respondentName },
        workerCount: dto.workerCount,
      } as CreateCaseDto;
      const created = await this.intake.create(actor, body, { consultationId: k.id }, em);
      await this.repo.markConverted(em, k.id, created.id, this.clock.now());
      return created;
    });
  }
}
