import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaseEvent } from './case-event.entity';

/** Reads of the timeline (`case_events`); it is written only through insertCaseEvent (case-events.ts). */
@Injectable()
export class CaseEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  listForCase(caseId: string): Promise<CaseEvent[]> {
    return this.db.manager.find(CaseEvent, { where: { caseId }, order: { id: 'ASC' } });
  }

  async latestOfType(caseId: string, type: string): Promise<CaseEvent | null> {
    const [event] = await this.db.manager.find(CaseEvent, { where: { caseId, type }, order: { id: 'DESC' }, take: 1 });
    return event ?? null;
  }

  /** Display names of the users (people or service accounts) who acted, in one query. */
  async actorNames(ids: Array<string | null>): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    if (!unique.length) return new Map();
    const rows: Array<{ id: string; display_name: string }> = await this.db.query(`SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])`, [unique]);
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }
}
