import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Agreement, Installment } from '../case-core/agreement.entity';
import { CASE_RECORDS_SQL } from '../case-core/case-records-sql';
import { Case } from '../case-core/case.entity';
import { Confirmation } from '../case-core/confirmation.entity';

export interface CaseDocumentRecords {
  workstation: { name: string; court: string; union: string; region: string };
  mediatorName: string | null;
  agreement: (Agreement & { installments: Installment[] }) | null;
  confirmation: Confirmation | null;
  handOff: string | null;
}

/** The reads behind the case documents: the case's records beside the case row. */
@Injectable()
export class DocumentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async workstationName(id: string): Promise<string | null> {
    const [row]: Array<{ name: string }> = await this.db.query(`SELECT name FROM workstations WHERE id = $1`, [id]);
    return row?.name ?? null;
  }

  async userDisplayName(id: string): Promise<string | null> {
    const [row]: Array<{ display_name: string }> = await this.db.query(`SELECT display_name FROM users WHERE id = $1`, [id]);
    return row?.display_name ?? null;
  }

  async recordsOf(c: Case): Promise<CaseDocumentRecords> {
    const [[related], [names], [ending]] = await Promise.all([
      this.db.query(CASE_RECORDS_SQL, [c.id]),
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
    const agreement = related.agreement
      ? {
          ...related.agreement,
          signedAt: new Date(related.agreement.signedAt),
          effectiveAt: new Date(related.agreement.effectiveAt),
          installments: related.agreement.installments.map((i: Installment & { paidAt: string | null }) => ({ ...i, paidAt: i.paidAt ? new Date(i.paidAt) : null })),
        }
      : null;
    const confirmation = related.confirmation
      ? { ...related.confirmation, appliedAt: new Date(related.confirmation.appliedAt), ruledAt: related.confirmation.ruledAt ? new Date(related.confirmation.ruledAt) : null }
      : null;
    return {
      workstation: { name: names.name, court: names.court, union: names.union, region: names.region },
      mediatorName: names.mediator_name ?? null,
      agreement,
      confirmation,
      handOff: ending?.hand_off ?? null,
    };
  }
}
