import { Agreement, Installment } from '../case-core/agreement.entity';
import { Case } from '../case-core/case.entity';
import { Confirmation } from '../case-core/confirmation.entity';

/** A party as the documents print it (address and agent when the case records them). */
export interface DocumentParty {
  name: string;
  /** 身份证号 (worker) or 统一社会信用代码 (employer), already masked when the viewer may not see it whole. */
  identityLabel: string;
  identity: string | null;
  phone: string | null;
  /** 送达地址; null leaves a line to fill in by hand. */
  address: string | null;
}

/** Everything a case document is made from, read in one place (DocumentsRepository). */
export interface CaseDocumentData {
  case: Case;
  workstation: { name: string; court: string; union: string; region: string };
  mediatorName: string | null;
  agreement: (Agreement & { installments: Installment[] }) | null;
  confirmation: Confirmation | null;
  /** The failure's or withdrawal's hand-off when the case records one (returned_to_court, arbitration, none). */
  handOff: string | null;
  applicant: DocumentParty;
  respondent: DocumentParty;
  /** When the document is made (the clock's now). */
  issuedAt: Date;
}
