import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseStatus } from '../common/case-codes';

/** Users' SQL beyond the entity repository. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** How many cases in one of `statuses` a mediator is assigned. */
  async countCasesOfMediator(mediatorId: string, statuses: readonly CaseStatus[]): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(`SELECT count(*)::int AS n FROM cases WHERE mediator_id = $1 AND status = ANY($2::varchar[])`, [mediatorId, statuses]);
    return rows[0]?.n ?? 0;
  }
}
