import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { escapeLike } from '../cases/case-query';
import { endOfShanghaiDay, startOfShanghaiDay } from '../common/business-time';
import { Consultation } from './consultation.entity';

export interface ConsultationFilter {
  /** undefined: nothing visible; null: every workstation. */
  scope: string | null | undefined;
  workstationId?: string;
  channel?: string;
  outcome?: string;
  from?: string;
  to?: string;
  q?: string;
}

/** The consultations' SQL. */
@Injectable()
export class ConsultationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  insert(values: Omit<Consultation, 'id'>): Promise<Consultation> {
    return this.db.manager.save(Consultation, this.db.manager.create(Consultation, values));
  }

  async workstationExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM workstations WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  findById(id: string): Promise<Consultation | null> {
    return this.db.manager.findOne(Consultation, { where: { id } });
  }

  lock(em: EntityManager, id: string): Promise<Consultation | null> {
    return em.getRepository(Consultation).createQueryBuilder('k').setLock('pessimistic_write').where('k.id = :id', { id }).getOne();
  }

  async markConverted(em: EntityManager, id: string, caseId: string, now: Date): Promise<void> {
    await em.update(Consultation, { id }, { outcome: 'converted', caseId, updatedAt: now });
  }

  async list(f: ConsultationFilter, page: number, pageSize: number): Promise<{ items: Consultation[]; total: number }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const bind = (v: unknown) => (params.push(v), `$${params.length}`);
    if (f.scope === undefined) conditions.push('false');
    else if (f.scope !== null) conditions.push(`k.workstation_id = ${bind(f.scope)}`);
    if (f.workstationId) conditions.push(`k.workstation_id = ${bind(f.workstationId)}`);
    if (f.channel) conditions.push(`k.channel = ${bind(f.channel)}`);
    if (f.outcome) conditions.push(`k.outcome = ${bind(f.outcome)}`);
    if (f.from) conditions.push(`k.consulted_at >= ${bind(startOfShanghaiDay(f.from))}`);
    if (f.to) conditions.push(`k.consulted_at < ${bind(endOfShanghaiDay(f.to))}`);
    if (f.q) conditions.push(`(k.name || ' ' || coalesce(k.phone, '') || ' ' || coalesce(k.employer, '') || ' ' || k.question) ILIKE ${bind(`%${escapeLike(f.q)}%`)}`);
    const where = conditions.length ? conditions.join(' AND ') : 'true';
    const [rows, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT k.id, k.workstation_id AS "workstationId", k.consulted_at AS "consultedAt", k.channel, k.name, k.phone, k.employer, k.question, k.advice,
                k.outcome, k.case_id AS "caseId", k.created_by AS "createdBy", k.created_at AS "createdAt", k.updated_at AS "updatedAt"
           FROM consultations k WHERE ${where} ORDER BY k.consulted_at DESC, k.id DESC LIMIT ${bind(pageSize)} OFFSET ${bind((page - 1) * pageSize)}`,
        params,
      ) as Promise<Consultation[]>,
      this.db.query(`SELECT count(*)::int AS total FROM consultations k WHERE ${where}`, params.slice(0, params.length - 2)) as Promise<Array<{ total: number }>>,
    ]);
    return { items: rows, total };
  }
}
