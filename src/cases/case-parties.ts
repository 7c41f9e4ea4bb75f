import { Case } from '../case-core/case.entity';
import { invalidInput } from '../common/errors/domain-error';
import { PartyDto } from './dto/create-case.dto';

/**
 * The party columns of a new case. The applicant is a worker unless `kind` says employer; the
 * respondent is the other kind (a respondent `kind` that says otherwise is a 400). A worker has an
 * identity number, an employer a credit code.
 */
export type PartyColumns = Pick<
  Case,
  | 'applicantKind'
  | 'applicantName'
  | 'applicantIdNumber'
  | 'applicantCreditCode'
  | 'applicantPhone'
  | 'applicantAddress'
  | 'applicantAgent'
  | 'respondentName'
  | 'respondentIdNumber'
  | 'respondentCreditCode'
  | 'respondentPhone'
  | 'respondentAddress'
  | 'respondentAgent'
>;

export function partiesOf(applicant: PartyDto, respondent: PartyDto): PartyColumns {
  const applicantKind = applicant.kind ?? 'worker';
  const respondentKind = applicantKind === 'worker' ? 'employer' : 'worker';
  if (respondent.kind && respondent.kind !== respondentKind) {
    throw invalidInput(`respondent.kind must be ${respondentKind} when the applicant is a ${applicantKind}`, { field: 'respondent.kind' }, '被申请人应为申请人的对方（劳动者与用人单位）');
  }
  const check = (side: 'applicant' | 'respondent', p: PartyDto, kind: 'worker' | 'employer') => {
    if (kind === 'worker' && p.creditCode) throw invalidInput(`${side}.creditCode: the ${side} is a worker`, { field: `${side}.creditCode` }, '劳动者一方没有统一社会信用代码');
    if (kind === 'employer' && p.idNumber) throw invalidInput(`${side}.idNumber: the ${side} is an employer`, { field: `${side}.idNumber` }, '用人单位一方没有身份证号');
  };
  check('applicant', applicant, applicantKind);
  check('respondent', respondent, respondentKind);
  const agent = (p: PartyDto) => (p.agent ? { name: p.agent.name, phone: p.agent.phone ?? null, relation: p.agent.relation ?? null } : null);
  return {
    applicantKind,
    applicantName: applicant.name,
    applicantIdNumber: applicant.idNumber ?? null,
    applicantCreditCode: applicant.creditCode ?? null,
    applicantPhone: applicant.phone ?? null,
    applicantAddress: applicant.address ?? null,
    applicantAgent: agent(applicant),
    respondentName: respondent.name,
    respondentIdNumber: respondent.idNumber ?? null,
    respondentCreditCode: respondent.creditCode ?? null,
    respondentPhone: respondent.phone ?? null,
    respondentAddress: respondent.address ?? null,
    respondentAgent: agent(respondent),
  };
}
