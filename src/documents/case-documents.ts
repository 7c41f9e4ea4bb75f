import { AGREEMENT_STATUSES, CaseStatus } from '../case-core/case-lifecycle';
import { Case } from '../case-core/case.entity';
import { CASE_SOURCE_LABELS, DISPUTE_TYPE_LABELS } from '../labels/labels';
import { CaseDocumentData, DocumentParty } from './case-document-data';
import { chineseDate, chineseDateOf, chineseLastDayOf, groupedAmount, rmbCapitals } from './chinese-format';
import { OfficialPdf } from './pdf-layout';

export const CASE_DOCUMENT_KINDS = ['registration', 'agreement', 'confirmation-application', 'failure-notice'] as const;
export type CaseDocumentKind = (typeof CASE_DOCUMENT_KINDS)[number];

interface DocumentRule {
  /** Chinese name, also the downloaded file's name. */
  title: string;
  /** null when the case's state allows the document; otherwise why not (English, Chinese). */
  refusal(c: Case): { message: string; messageZh: string } | null;
  render(data: CaseDocumentData): Promise<Buffer>;
}

const FAILED_OR_WITHDRAWN: readonly CaseStatus[] = ['failed', 'withdrawn'];

/**
 * Which document each state allows, and how each is written. A document for a state where it
 * makes no sense (an agreement before there is one, a failure notice for an open case) is
 * refused: the service answers 409 with the case's state.
 */
export const CASE_DOCUMENTS: Record<CaseDocumentKind, DocumentRule> = {
  registration: {
    title: '劳动争议调解案件受理登记表',
    refusal: () => null,
    render: renderRegistration,
  },
  agreement: {
    title: '劳动争议调解协议书',
    refusal: (c) =>
      AGREEMENT_STATUSES.includes(c.status) ? null : { message: 'The case has no mediation agreement', messageZh: '案件尚未达成调解协议，无法生成调解协议书' },
    render: renderAgreement,
  },
  'confirmation-application': {
    title: '司法确认申请书',
    refusal: (c) => {
      if (!AGREEMENT_STATUSES.includes(c.status)) {
        return { message: 'The case has no mediation agreement to confirm', messageZh: '案件尚未达成调解协议，无法申请司法确认' };
      }
      if (c.source === 'court_entrusted') {
        return {
          message: 'A court-entrusted case is closed by the court (民事调解书 or withdrawal), not by judicial confirmation',
          messageZh: '法院委托调解的案件由法院出具调解书或准予撤诉结案，不申请司法确认',
        };
      }
      return null;
    },
    render: renderConfirmationApplication,
  },
  'failure-notice': {
    title: '调解不成（终止调解）通知书',
    refusal: (c) =>
      FAILED_OR_WITHDRAWN.includes(c.status) ? null : { message: 'Mediation of the case has not failed or ended', messageZh: '案件调解尚未终止，无法生成调解不成（终止调解）通知书' },
    render: renderFailureNotice,
  },
};

function partyLine(role: string, p: DocumentParty): string {
  const parts = [`${role}：${p.name}`];
  if (p.identity) parts.push(`${p.identityLabel}：${p.identity}`);
  if (p.phone) parts.push(`联系电话：${p.phone}`);
  return parts.join('，') + '。';
}

function disputeLabel(c: Case): string {
  return DISPUTE_TYPE_LABELS[c.disputeType] ?? c.disputeType;
}

function registeredDate(c: Case): string {
  return chineseDateOf(c.receivedAt);
}

async function renderRegistration(d: CaseDocumentData): Promise<Buffer> {
  const c = d.case;
  const pdf = new OfficialPdf({ title: CASE_DOCUMENTS.registration.title, subject: c.caseNumber });
  pdf.title(CASE_DOCUMENTS.registration.title, d.workstation.name);
  pdf.form([
    ['案件编号', c.caseNumber],
    ['收案日期', registeredDate(c)],
    ['案件来源', CASE_SOURCE_LABELS[c.source] ?? c.source],
    ['法院案号', c.courtCaseNumber],
    ['纠纷类型', disputeLabel(c)],
    ['涉及人数', `${c.workerCount}人`],
    ['申请人', d.applicant.name],
    [d.applicant.identityLabel, d.applicant.identity],
    ['申请人联系电话', d.applicant.phone],
    ['申请人送达地址', d.applicant.address],
    ['被申请人', d.respondent.name],
    [d.respondent.identityLabel, d.respondent.identity],
    ['被申请人联系电话', d.respondent.phone],
    ['被申请人送达地址', d.respondent.address],
    ['请求金额', `人民币${groupedAmount(c.claimAmount)}元（${rmbCapitals(c.claimAmount)}）`],
    ['案情摘要及请求事项', c.summary],
    ['调解期限', `${chineseLastDayOf(c.deadlineAt)}24时前${c.extensionDays ? `（已延长${c.extensionDays}日）` : ''}`],
    ['调解员', d.mediatorName],
  ]);
  pdf.signatureLines([{ label: '登记人（签名）', date: registeredDate(c) }, { label: '申请人（签名）' }]);
  return pdf.finish();
}

function installmentRows(d: CaseDocumentData): string[][] {
  return (d.agreement?.installments ?? [])
    .slice()
    .sort((a, b) => a.seq - b.seq)
    .map((i) => [`第${i.seq}期`, chineseDate(i.dueDate), groupedAmount(i.amount), rmbCapitals(i.amount)]);
}

async function renderAgreement(d: CaseDocumentData): Promise<Buffer> {
  const c = d.case;
  const a = d.agreement!;
  const pdf = new OfficialPdf({ title: CASE_DOCUMENTS.agreement.title, subject: c.caseNumber });
  pdf.title(CASE_DOCUMENTS.agreement.title);
  pdf.reference(`编号：${c.caseNumber}`);
  pdf.paragraph(partyLine('申请人', d.applicant), { indent: false });
  pdf.labelled('送达地址', d.applicant.address);
  pdf.paragraph(partyLine('被申请人', d.respondent), { indent: false });
  pdf.labelled('送达地址', d.respondent.address);
  pdf.paragraph(`调解组织：${d.workstation.name}。调解员：${d.mediatorName ?? '＿＿＿＿'}。`, { indent: false });

  pdf.heading('一、争议事项');
  pdf.paragraph(
    `申请人与被申请人因${disputeLabel(c)}纠纷，于${registeredDate(c)}向${d.workstation.name}申请调解${c.courtCaseNumber ? `（法院案号：${c.courtCaseNumber}）` : ''}。` +
      `申请人请求被申请人支付人民币${groupedAmount(c.claimAmount)}元。争议事实：${c.summary}`,
  );
  pdf.heading('二、协议内容');
  pdf.paragraph(`经调解，双方自愿达成如下协议：${a.terms}`);
  pdf.paragraph(`被申请人向申请人支付人民币${groupedAmount(a.agreedAmount)}元（大写：${rmbCapitals(a.agreedAmount)}）。`);
  const rows = installmentRows(d);
  if (rows.length) {
    pdf.paragraph(`上述款项分${rows.length}期支付，期限和金额如下：`);
    pdf.table(
      [
        { header: '期次', width: 1, align: 'center' },
        { header: '支付期限', width: 2, align: 'center' },
        { header: '金额（元）', width: 1.6, align: 'right' },
        { header: '大写', width: 3 },
      ],
      rows,
    );
  } else {
    pdf.paragraph('上述款项一次性支付。');
  }
  pdf.heading('三、其他约定');
  pdf.paragraph('本协议履行完毕后，双方就本劳动争议再无其他争议。');
  pdf.paragraph(
    '本协议经双方当事人签名或者盖章，经调解员签名并加盖调解组织印章后生效，对双方当事人具有约束力，当事人应当履行（《中华人民共和国劳动争议调解仲裁法》第十四条）。',
  );
  if (c.source !== 'court_entrusted') {
    pdf.paragraph('双方当事人可以自本协议生效之日起三十日内共同向有管辖权的人民法院申请司法确认。');
  }
  pdf.paragraph('本协议一式三份，双方当事人和调解组织各执一份，具有同等效力。');
  pdf.paragraph(`签订日期：${chineseDateOf(a.signedAt)}；生效日期：${chineseDateOf(a.effectiveAt)}。`, { indent: false });
  pdf.signatureLines([
    { label: '申请人（签名或盖章）' },
    { label: '被申请人（签名或盖章）' },
    { label: '调解员（签名）' },
  ]);
  pdf.issuer(`调解组织：${d.workstation.name}`, chineseDateOf(a.signedAt), '（调解组织印章）');
  return pdf.finish();
}

async function renderConfirmationApplication(d: CaseDocumentData): Promise<Buffer> {
  const c = d.case;
  const a = d.agreement!;
  const kind = CASE_DOCUMENTS['confirmation-application'];
  const pdf = new OfficialPdf({ title: kind.title, subject: c.caseNumber });
  pdf.title(kind.title);
  pdf.paragraph(partyLine('申请人（一）', d.applicant), { indent: false });
  pdf.labelled('送达地址', d.applicant.address);
  pdf.paragraph(partyLine('申请人（二）', d.respondent), { indent: false });
  pdf.labelled('送达地址', d.respondent.address);

  pdf.heading('请求事项');
  pdf.paragraph(
    `请求人民法院确认申请人于${chineseDateOf(a.signedAt)}经${d.workstation.name}主持调解达成的《劳动争议调解协议书》（编号：${c.caseNumber}）有效。`,
  );
  pdf.heading('事实和理由');
  const rows = installmentRows(d);
  pdf.paragraph(
    `申请人因${disputeLabel(c)}纠纷，于${registeredDate(c)}向${d.workstation.name}申请调解。经调解员${d.mediatorName ?? ''}主持调解，双方于${chineseDateOf(a.signedAt)}自愿达成调解协议，` +
      `约定被申请人支付人民币${groupedAmount(a.agreedAmount)}元（大写：${rmbCapitals(a.agreedAmount)}）${rows.length ? `，分${rows.length}期支付` : ''}。协议于${chineseDateOf(a.effectiveAt)}生效，具体内容详见所附调解协议书。`,
  );
  pdf.paragraph(
    '申请人双方承诺：调解协议系双方真实意思表示，出于自愿，不存在恶意串通、规避法律的行为，不损害国家利益、社会公共利益或者他人合法权益；如因虚假陈述导致人民法院确认错误，愿意承担相应的法律责任（《最高人民法院关于人民调解协议司法确认程序的若干规定》法释〔2011〕5号）。',
  );
  pdf.paragraph('申请人同意以上列明的送达地址作为人民法院送达法律文书的地址。');
  pdf.ensureSpace(70);
  pdf.paragraph('此致', { indent: true });
  pdf.paragraph(d.workstation.court, { indent: false });
  pdf.heading('附', 60);
  pdf.paragraph(`1. 劳动争议调解协议书一份（编号：${c.caseNumber}）；`, { indent: false });
  pdf.paragraph('2. 申请人身份证明、主体资格证明材料；', { indent: false });
  pdf.paragraph('3. 与调解协议相关的证明材料。', { indent: false });
  const applied = d.confirmation ? chineseDateOf(d.confirmation.appliedAt) : undefined;
  pdf.signatureLines([
    { label: '申请人（一）（签名或盖章）', date: applied },
    { label: '申请人（二）（签名或盖章）', date: applied },
  ]);
  return pdf.finish();
}

const HAND_OFF_TEXT: Record<string, string> = {
  returned_to_court: '本案退回人民法院，依法立案或者恢复审理。',
  arbitration: '当事人可以依法向劳动争议仲裁委员会申请仲裁（《中华人民共和国劳动争议调解仲裁法》第十四条第三款）。',
  none: '当事人可以依法通过其他途径解决争议。',
};

async function renderFailureNotice(d: CaseDocumentData): Promise<Buffer> {
  const c = d.case;
  const failed = c.status === 'failed';
  const title = failed ? '调解不成通知书' : '终止调解通知书';
  const pdf = new OfficialPdf({ title, subject: c.caseNumber });
  pdf.title(title);
  pdf.reference(`编号：${c.caseNumber}`);
  pdf.paragraph(`${d.applicant.name}、${d.respondent.name}：`, { indent: false });
  const ended = c.concludedAt ? chineseDateOf(c.concludedAt) : chineseDateOf(d.issuedAt);
  pdf.paragraph(
    `申请人${d.applicant.name}与被申请人${d.respondent.name}${disputeLabel(c)}纠纷一案，本调解组织于${registeredDate(c)}受理${c.courtCaseNumber ? `（法院案号：${c.courtCaseNumber}）` : ''}。` +
      (failed
        ? `经调解，双方未能达成调解协议${c.outcomeReason ? `（${c.outcomeReason}）` : ''}。本调解组织决定自${ended}起终止调解。`
        : `因${c.outcomeReason ?? '当事人撤回调解申请'}，本调解组织决定自${ended}起终止调解。`),
  );
  const handOff = d.handOff ?? (c.source === 'court_entrusted' || c.source === 'court_assigned' ? 'returned_to_court' : 'arbitration');
  pdf.paragraph(HAND_OFF_TEXT[handOff] ?? HAND_OFF_TEXT.none);
  if (handOff !== 'returned_to_court') {
    pdf.paragraph('劳动争议申请仲裁的时效期间为一年，从当事人知道或者应当知道其权利被侵害之日起计算（《中华人民共和国劳动争议调解仲裁法》第二十七条）。');
  }
  pdf.paragraph('特此通知。');
  pdf.paragraph(`调解员：${d.mediatorName ?? ''}`, { indent: false });
  pdf.issuer(d.workstation.name, ended);
  pdf.signatureLines([{ label: '申请人签收' }, { label: '被申请人签收' }]);
  return pdf.finish();
}

/** The downloaded file's name: "调解协议书-WS01-2026-000001.pdf". */
export function documentFileName(kind: CaseDocumentKind, c: Case): string {
  return `${CASE_DOCUMENTS[kind].title}-${c.caseNumber}.pdf`;
}
