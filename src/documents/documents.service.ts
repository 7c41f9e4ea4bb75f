import { Injectable } from '@nestjs/common';
import { AuthUser } from '../accounts-core/auth-user';
import { canSeeIdentity, maskIdNumber } from '../accounts-core/scope';
import { CasesService } from '../cases/cases.service';
import { Clock } from '../common/clock';
import { conflict, notFound } from '../common/errors/domain-error';
import { CaseDocumentData, DocumentParty } from './case-document-data';
import { CASE_DOCUMENT_KINDS, CASE_DOCUMENTS, CaseDocumentKind, documentFileName } from './case-documents';
import { DocumentsRepository } from './documents.repository';

export interface RenderedDocument {
  fileName: string;
  pdf: Buffer;
}

export const isCaseDocumentKind = (kind: string): kind is CaseDocumentKind => (CASE_DOCUMENT_KINDS as readonly string[]).includes(kind);

/**
 * A case's documents as PDF, scoped as the case (404 outside it), refused with 409 where the
 * case's state makes the document meaningless. Identity numbers are whole only for the viewers
 * who may see them (the assigned mediator, the workstation's court clerk, admins).
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly cases: CasesService,
    private readonly repository: DocumentsRepository,
    private readonly clock: Clock,
  ) {}

  async caseDocument(user: AuthUser, caseId: string, kind: string): Promise<RenderedDocument> {
    const c = await this.cases.findVisible(user, caseId);
    if (!isCaseDocumentKind(kind)) throw notFound('Document', '没有这种文书');
    const rule = CASE_DOCUMENTS[kind];
    const refusal = rule.refusal(c);
    if (refusal) throw conflict(refusal.message, { status: c.status, kind }, refusal.messageZh);
    const records = await this.repository.recordsOf(c);
    const reveal = canSeeIdentity(user, c);
    const data: CaseDocumentData = {
      case: c,
      ...records,
      // Either side may have applied (DESIGN.md "Parties"): the worker carries an identity number, the employer a credit code.
      applicant: this.party(c.applicantKind === 'employer' ? 'employer' : 'worker', c.applicantName, c.applicantIdNumber, c.applicantCreditCode, c.applicantPhone, c.applicantAddress, reveal),
      respondent: this.party(c.applicantKind === 'employer' ? 'worker' : 'employer', c.respondentName, c.respondentIdNumber, c.respondentCreditCode, c.respondentPhone, c.respondentAddress, reveal),
      issuedAt: this.clock.now(),
    };
    return { fileName: documentFileName(kind, c), pdf: await rule.render(data) };
  }

  private party(kind: 'worker' | 'employer', name: string, idNumber: string | null, creditCode: string | null, phone: string | null, address: string | null, reveal: boolean): DocumentParty {
    return kind === 'worker'
      ? { name, identityLabel: '身份证号', identity: reveal ? idNumber : maskIdNumber(idNumber), phone, address }
      : { name, identityLabel: '统一社会信用代码', identity: creditCode, phone, address };
  }
}
