import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../accounts-core/auth-user';
import { maskIdNumber } from '../accounts-core/scope';
import { CaseTransactionService } from '../case-core/case-transaction.service';
import { caseViewFor } from '../case-core/case-view';
import { Case } from '../case-core/case.entity';
import { invalidInput } from '../common/errors/domain-error';
import { normalizeMoney } from '../common/money';
import { CaseConclusion } from './case-conclusion';
import { CorrectionDto, PartyCorrectionDto, VoidDto } from './dto/case-actions.dto';

/** Mistakes of the register: a case's facts corrected, or a mistaken entry voided; both audited. */
@Injectable()
export class CaseCorrectionsService {
  constructor(
    private readonly tx: CaseTransactionService,
    private readonly conclusion: CaseConclusion,
    private readonly audit: AuditService,
  ) {}

  /**
   * Corrects a case's registered facts (parties, summary, claim, dispute type, court case number,
   * worker count, representatives): the event records the old and new values of what changed.
   */
  async correct(actor: AuthUser, id: string, dto: CorrectionDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'correct', expectedVersion, async ({ em, current }) => {
      const set: Partial<Case> = {};
      const worker = (side: 'applicant' | 'respondent') => (side === 'applicant') === (current.applicantKind !== 'employer');
      const party = (side: 'applicant' | 'respondent', p: PartyCorrectionDto | undefined) => {
        if (!p) return;
        const isWorker = worker(side);
        if (isWorker && p.creditCode !== undefined) throw invalidInput(`${side}.creditCode: the ${side} is a worker`, { field: `${side}.creditCode` }, '劳动者一方没有统一社会信用代码');
        if (!isWorker && p.idNumber !== undefined) throw invalidInput(`${side}.idNumber: the ${side} is an employer`, { field: `${side}.idNumber` }, '用人单位一方没有身份证号');
        const prefix = side;
        if (p.name !== undefined) set[`${prefix}Name`] = p.name;
        if (p.phone !== undefined) set[`${prefix}Phone`] = p.phone;
        if (p.address !== undefined) set[`${prefix}Address`] = p.address;
        if (p.agent !== undefined) set[`${prefix}Agent`] = { name: p.agent.name, phone: p.agent.phone ?? null, relation: p.agent.relation ?? null };
        if (p.idNumber !== undefined) set[`${prefix}IdNumber`] = p.idNumber;
        if (p.creditCode !== undefined) set[`${prefix}CreditCode`] = p.creditCode;
      };
      party('applicant', dto.applicant);
      party('respondent', dto.respondent);
      if (dto.summary !== undefined) set.summary = dto.summary;
      if (dto.claimAmount !== undefined) set.claimAmount = normalizeMoney(dto.claimAmount);
      if (dto.disputeType !== undefined) set.disputeType = dto.disputeType;
      if (dto.courtCaseNumber !== undefined) set.courtCaseNumber = dto.courtCaseNumber;
      if (dto.workerCount !== undefined) set.workerCount = dto.workerCount;
      if (dto.representatives !== undefined) set.representatives = dto.representatives.map((r) => ({ name: r.name, phone: r.phone ?? null }));
      const workerCount = set.workerCount ?? current.workerCount;
      if ((set.representatives ?? current.representatives ?? []).length && workerCount < 3) {
        throw invalidInput('representatives are for a collective dispute (workerCount of 3 or more)', { field: 'representatives' }, '劳动者一方在三人以上的集体争议才推举代表');
      }
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(set) as Array<[keyof Case, unknown]>) {
        if (JSON.stringify(current[key]) === JSON.stringify(value)) {
          delete set[key];
          continue;
        }
        // Identity numbers are masked in the timeline, which more people read than the case's identity.
        const shown = (v: unknown) => (key === 'applicantIdNumber' || key === 'respondentIdNumber' ? maskIdNumber(v as string | null) : v);
        before[key] = shown(current[key] ?? null);
        after[key] = shown(value);
      }
      if (!Object.keys(set).length) throw invalidInput('Nothing to correct: every value sent is already recorded', undefined, '没有需要更正的内容');
      // In the change's transaction: the audit entry commits or rolls back with the correction.
      await this.audit.record(em, { actor, action: 'case.corrected', caseId: current.id, details: { caseNumber: current.caseNumber, before, after } });
      return { change: { event: 'case_corrected', set, before, after } };
    });
    return caseViewFor(actor, updated);
  }

  /** A mistaken entry (duplicate, wrong workstation, test): voided with a reason; its number stays used, it counts nowhere. */
  async void(actor: AuthUser, id: string, dto: VoidDto, expectedVersion?: number) {
    const { case: updated } = await this.tx.mutate(id, actor, 'void', expectedVersion, async ({ em, current, next, now }) => {
      await this.conclusion.concluded(em, { ...current, status: next } as Case, actor.id, now);
      await this.audit.record(em, { actor, action: 'case.voided', caseId: current.id, details: { caseNumber: current.caseNumber, reason: dto.reason } });
      return {
        change: {
          event: 'case_voided',
          set: { voidedAt: now, voidReason: dto.reason },
          before: { status: current.status },
          after: { status: next, reason: dto.reason },
        },
      };
    });
    return caseViewFor(actor, updated);
  }
}
