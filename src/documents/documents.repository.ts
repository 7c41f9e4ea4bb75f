import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Agreement, Installment } from '../case-core/agreement.entity';
import { Case } from '../case-core/case.entity';
import { CasesRepository } from '../case-core/cases.repository';
import { Confirmation } from '../case-core/confirmation.entity';

export interface CaseDocumentRecords {
  workstation: { name: string; court: string; union: string; region: string };
  mediatorName: string | null;
  agreement: (Agreement & { installments: Installment[] }) | null;
  confirmation: Confirmation | null;
  handOff: string | null;
}

/** The reads behind the case documents: the case's records (CasesRepository.records) and the names on them. */
@Injectable()
export class DocumentsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesRepository,
  ) {}

  async workstationName(id: string): Promise<string | null> {
    const [row]: Array<{ name: string }> = await this.db.query(`SELECT name FROM workstations WHERE id = $1`, [id]);
    return row?.name ?? null;
  }

  async userDisplayName(id: string): Promise<string | null> {
    const [row]: Array<{ display_name: string }> = await this.db.query(`SELECT display_name FROM users WHERE id = $1`, [id]);
    return row?.display_name ?? null;
  }

  async recordsOf(c: Case): Promise<CaseDocumentRecords> {
    const [{ agreement, confirmation }, [names], [ending]] = await Promise.all([
      this.cases.records(c.id),
      this.db.query(
        `SELECT w.name, w.court, w.union_name AS union, w.region, u.display_name AS mediator_name
           FROM workstations w LEFT JOIN users u ON u.id = $2 WHERE w.id = $1`,
        [c.workstationId, c.mediatorId],
      ),
      this.db.query(
        `SELECT after->>'handOff' AS hand_off FROM case_events
          WHERE case_id = $1 AND type IN ('case_failed', 'case_withdrawn') ORDER BY id DESC LIMIT 1`,
        [c.id],
      ),
    ]);
    return {
      workstation: { name: names.name, court: names.court, union: names.union, region: names.region },
      mediatorName: names.mediator_name ?? null,
      agreement,
      confirmation,
      handOff: ending?.hand_off ?? null,
    };
  }
}
