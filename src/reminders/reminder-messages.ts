/** The text of each notification (pure). Times are shown in Asia/Shanghai. */
import { shanghaiDate } from '../common/business-time';
import { BREACH_REMEDY, BreachRemedy, SESSION_MODE } from '../labels/labels';
import { lastDayOf } from './reminder-plans';

const OFFSET_MS = 8 * 3600 * 1000;

/** 'YYYY-MM-DD HH:mm' in Shanghai. */
export function shanghaiDateTime(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** A deadline: a date when it ends at 24:00 Shanghai, otherwise date and time. */
export function formatDeadline(at: Date): string {
  const local = shanghaiDateTime(at);
  return local.endsWith(' 00:00') ? `${lastDayOf(at)} 24:00` : local;
}

const SESSION_MODES: Record<string, string> = Object.fromEntries(Object.entries(SESSION_MODE).map(([k, v]) => [k, v.zh]));

/** Where an unpaid agreement goes (DESIGN.md "Deadlines and reminders"), as the breach notice says it. */
const REMEDY_ADVICE: Record<BreachRemedy, string> = {
  enforcement: `该调解协议已经人民法院司法确认（或法院已出具民事调解书），具有强制执行力，权利人可以${BREACH_REMEDY.enforcement.zh}。`,
  payment_order: `依照《劳动争议调解仲裁法》第十六条，劳动者可以持调解协议书依法向人民法院申请支付令。`,
  arbitration: `依照《劳动争议调解仲裁法》第十五条，当事人可以依法申请劳动争议仲裁。`,
};

export const messages = {
  mediationDeadline: (caseNumber: string, deadlineAt: Date) => `案件 ${caseNumber} 的调解期限将于 ${formatDeadline(deadlineAt)} 届满，请抓紧调解。`,
  mediationOverdue: (caseNumber: string, deadlineAt: Date) =>
    `案件 ${caseNumber} 的调解期限已于 ${formatDeadline(deadlineAt)} 届满，案件仍未结案，已标记为超期。`,
  session: (caseNumber: string, scheduledAt: Date, mode: string, location: string | null, hoursBefore: number) =>
    `案件 ${caseNumber} 的调解安排在 ${shanghaiDateTime(scheduledAt)}（${SESSION_MODES[mode] ?? mode}${location ? `，${location}` : ''}），距开始还有 ${hoursBefore} 小时。`,
  confirmationApplication: (caseNumber: string, effectiveAt: Date, day: number, windowEnd: Date) =>
    `案件 ${caseNumber} 的调解协议自 ${shanghaiDate(effectiveAt)} 生效已满 ${day} 日，尚未申请司法确认；双方应在 ${formatDeadline(windowEnd)} 前共同向人民法院提出申请。`,
  acceptanceDue: (caseNumber: string, appliedAt: Date, dueAt: Date) =>
    `案件 ${caseNumber} 的司法确认申请于 ${shanghaiDate(appliedAt)} 提出，尚未决定是否受理；受理审查期限至 ${formatDeadline(dueAt)}。`,
  rulingDue: (caseNumber: string, acceptedAt: Date, dueAt: Date) =>
    `案件 ${caseNumber} 的司法确认申请已于 ${shanghaiDate(acceptedAt)} 受理，尚未裁定；审查期限至 ${formatDeadline(dueAt)}。`,
  rulingOverdue: (caseNumber: string, acceptedAt: Date, dueAt: Date) =>
    `案件 ${caseNumber} 的司法确认申请（${shanghaiDate(acceptedAt)} 受理）已超过 ${formatDeadline(dueAt)} 的审查期限，仍未裁定。`,
  installmentDue: (caseNumber: string, seq: number, amount: string, dueDate: string) =>
    `案件 ${caseNumber} 调解协议第 ${seq} 期款项 ${amount} 元将于 ${dueDate} 到期，请提醒用人单位按期履行。`,
  installmentBreach: (caseNumber: string, seq: number, amount: string, dueDate: string, remedy: BreachRemedy) =>
    `案件 ${caseNumber} 调解协议第 ${seq} 期款项 ${amount} 元已于 ${dueDate} 到期未付，协议已标记为未履行。` + REMEDY_ADVICE[remedy],
  caseAssigned: (caseNumber: string, deadlineAt: Date) => `您已被指派为案件 ${caseNumber} 的调解员，调解期限至 ${formatDeadline(deadlineAt)}。`,
  confirmationRequested: (caseNumber: string, appliedAt: Date, dueAt: Date) =>
    `案件 ${caseNumber} 已于 ${shanghaiDate(appliedAt)} 申请司法确认，请于 ${formatDeadline(dueAt)} 前决定是否受理。`,
  caseReturnedToCourt: (caseNumber: string, courtCaseNumber: string | null, reason: string) =>
    `案件 ${caseNumber}${courtCaseNumber ? `（${courtCaseNumber}）` : ''} 调解不成，已退回法院立案或恢复审理。原因：${reason}`,
  confirmationRuled: (caseNumber: string, confirmed: boolean, rulingNumber: string | null) =>
    `案件 ${caseNumber} 的司法确认申请已${confirmed ? '裁定确认调解协议有效' : '裁定驳回'}${rulingNumber ? `（${rulingNumber}）` : ''}。`,
  confirmationNotAccepted: (caseNumber: string, reason: string) => `案件 ${caseNumber} 的司法确认申请人民法院不予受理。理由：${reason}`,
  confirmationAccepted: (caseNumber: string, acceptanceNumber: string, dueAt: Date) =>
    `案件 ${caseNumber} 的司法确认申请已受理（${acceptanceNumber}），审查期限至 ${formatDeadline(dueAt)}。`,
};
