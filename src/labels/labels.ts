/**
 * The one source of the labels of every code the product shows (DESIGN.md: Chinese first, with
 * the terms the statutes use), read by the exports, the reminder messages and the web page
 * (`GET /api/v1/labels`). Each group is a `Record<code union, ...>`, so a new code without its
 * label does not compile.
 */
import { Role } from '../accounts-core/role.enum';
import {
  CaseAction,
  CaseSource,
  CaseStatus,
  ConfirmationStatus,
  ConsultationChannel,
  ConsultationOutcome,
  CourtOutcome,
  DisputeType,
  HandOff,
  NotificationKindCode,
  PartyKind,
  SessionMode,
  SessionStatus,
} from '../common/case-codes';

export interface Label {
  zh: string;
  en: string;
}
type Labels<K extends string> = Record<K, Label>;
const l = (zh: string, en: string): Label => ({ zh, en });

export const CASE_STATUS: Labels<CaseStatus> = {
  registered: l('已登记', 'Registered'),
  assigned: l('已指派调解员', 'Mediator assigned'),
  in_mediation: l('调解中', 'In mediation'),
  agreement_reached: l('达成调解协议', 'Agreement reached'),
  confirmation_requested: l('已申请司法确认', 'Judicial confirmation requested'),
  confirmation_accepted: l('司法确认已受理', 'Judicial confirmation accepted'),
  confirmed: l('已司法确认', 'Judicially confirmed'),
  confirmation_rejected: l('司法确认被驳回或不予受理', 'Judicial confirmation rejected or not accepted'),
  court_concluded: l('法院结案（调解书/撤诉）', 'Closed by the court (mediation document / withdrawal)'),
  failed: l('调解不成', 'Mediation failed'),
  withdrawn: l('撤回调解申请', 'Withdrawn'),
  voided: l('作废', 'Voided'),
};

export const CASE_SOURCE: Labels<CaseSource> = {
  court_entrusted: l('法院委托调解（立案后）', 'Entrusted by the court (after filing)'),
  court_assigned: l('法院委派调解（立案前）', 'Assigned by the court (before filing)'),
  walk_in: l('当事人申请', 'Application by a party'),
  hotline: l('热线', 'Hotline'),
  arbitration_referral: l('仲裁委员会转交', 'Referred by the arbitration committee'),
};

export const DISPUTE_TYPE: Labels<DisputeType> = {
  wage_arrears: l('拖欠劳动报酬', 'Unpaid wages'),
  dismissal: l('解除劳动合同', 'Termination of the labor contract'),
  social_insurance: l('社会保险', 'Social insurance'),
  work_injury: l('工伤医疗费及工伤待遇', 'Work injury'),
  overtime: l('加班费', 'Overtime pay'),
  compensation: l('经济补偿或者赔偿金', 'Economic compensation or damages'),
  other: l('其他', 'Other'),
};

export const CASE_ACTION: Labels<CaseAction> = {
  assign: l('指派调解员', 'Assign a mediator'),
  reassign: l('更换调解员', 'Reassign'),
  schedule_session: l('安排调解', 'Schedule a session'),
  update_session: l('变更调解安排', 'Change a session'),
  hold_session: l('记录调解', 'Record a session held'),
  add_note: l('添加工作记录', 'Add a note'),
  record_agreement: l('登记调解协议', 'Record the agreement'),
  fail: l('调解不成', 'Record failure'),
  withdraw: l('撤回调解申请', 'Record withdrawal'),
  extend_deadline: l('延长调解期限', 'Extend the mediation period'),
  request_confirmation: l('申请司法确认', 'Request judicial confirmation'),
  rule_confirmed: l('裁定确认调解协议有效', 'Rule: agreement confirmed'),
  rule_rejected: l('裁定驳回申请', 'Rule: request rejected'),
  record_payment: l('登记履行', 'Record a payment'),
  correct: l('更正登记信息', 'Correct'),
  void: l('作废', 'Void'),
  waive_confirmation: l('当事人放弃申请司法确认', 'Parties waive confirmation'),
  accept_confirmation: l('受理司法确认申请', 'Accept the request'),
  decline_confirmation: l('不予受理', 'Do not accept the request'),
  extend_ruling: l('延长审查期限', 'Extend the ruling period'),
  record_court_outcome: l('登记法院结案（调解书/撤诉）', 'Record the court outcome'),
  renegotiate: l('重新调解', 'Renegotiate'),
};

export const HAND_OFF: Labels<HandOff> = {
  returned_to_court: l('退回法院（立案或恢复审理）', 'Returned to the court (filing / resumed trial)'),
  arbitration: l('告知申请劳动争议仲裁', 'Parties advised to apply for labor arbitration'),
  none: l('无', 'None'),
};

/** The timeline's event types. */
export const EVENT_TYPES = [
  'case_registered',
  'mediator_assigned',
  'mediator_reassigned',
  'session_scheduled',
  'session_rescheduled',
  'session_held',
  'session_cancelled',
  'session_no_show',
  'session_notes_updated',
  'note_added',
  'agreement_recorded',
  'installment_paid',
  'agreement_in_breach',
  'flagged_overdue',
  'deadline_extended',
  'case_failed',
  'case_withdrawn',
  'case_corrected',
  'case_voided',
  'confirmation_requested',
  'confirmation_waived',
  'confirmation_accepted',
  'confirmation_not_accepted',
  'ruling_extended',
  'confirmation_confirmed',
  'confirmation_rejected',
  'case_renegotiated',
  'court_outcome_recorded',
  'attachment_added',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_TYPE: Labels<EventType> = {
  case_registered: l('登记受理', 'Registered'),
  mediator_assigned: l('指派调解员', 'Mediator assigned'),
  mediator_reassigned: l('更换调解员', 'Mediator reassigned'),
  session_scheduled: l('安排调解', 'Session scheduled'),
  session_rescheduled: l('调解改期', 'Session moved'),
  session_held: l('进行调解', 'Session held'),
  session_cancelled: l('取消调解', 'Session cancelled'),
  session_no_show: l('当事人未到场', 'Party did not appear'),
  session_notes_updated: l('更新调解记录', 'Session notes updated'),
  note_added: l('工作记录', 'Note'),
  agreement_recorded: l('达成调解协议', 'Agreement recorded'),
  installment_paid: l('履行付款', 'Payment recorded'),
  agreement_in_breach: l('协议未履行', 'Agreement in breach'),
  flagged_overdue: l('调解期限届满', 'Mediation period expired'),
  deadline_extended: l('延长调解期限', 'Mediation period extended'),
  case_failed: l('调解不成', 'Mediation failed'),
  case_withdrawn: l('撤回调解申请', 'Withdrawn'),
  case_corrected: l('更正登记信息', 'Corrected'),
  case_voided: l('作废', 'Voided'),
  confirmation_requested: l('申请司法确认', 'Judicial confirmation requested'),
  confirmation_waived: l('放弃申请司法确认', 'Judicial confirmation waived'),
  confirmation_accepted: l('司法确认申请已受理', 'Request accepted'),
  confirmation_not_accepted: l('司法确认申请不予受理', 'Request not accepted'),
  ruling_extended: l('延长司法确认审查期限', 'Ruling period extended'),
  confirmation_confirmed: l('裁定确认调解协议有效', 'Agreement confirmed'),
  confirmation_rejected: l('裁定驳回司法确认申请', 'Request rejected'),
  case_renegotiated: l('重新调解', 'Renegotiation'),
  court_outcome_recorded: l('法院结案', 'Court outcome recorded'),
  attachment_added: l('上传附件', 'Attachment added'),
};

export const CONSULTATION_CHANNEL: Labels<ConsultationChannel> = {
  window: l('窗口接待', 'Window reception'),
  hotline: l('热线', 'Hotline'),
  visit: l('来访', 'Visit'),
};

export const CONSULTATION_OUTCOME: Labels<ConsultationOutcome> = {
  advice_only: l('解答咨询', 'Advice given'),
  referred_to_arbitration: l('引导申请劳动争议仲裁', 'Referred to arbitration'),
  referred_to_legal_aid: l('转介法律援助', 'Referred to legal aid'),
  converted: l('转为调解案件', 'Converted into a case'),
};

export const REMINDER_KIND: Labels<NotificationKindCode> = {
  mediation_deadline: l('调解期限即将届满', 'Mediation period ending'),
  mediation_overdue: l('调解期限已届满', 'Mediation period expired'),
  session_24h: l('调解前一日提醒', 'Session tomorrow'),
  session_1h: l('调解前一小时提醒', 'Session in one hour'),
  confirmation_application: l('申请司法确认提醒', 'Apply for judicial confirmation'),
  acceptance_due: l('司法确认受理期限提醒', 'Acceptance due'),
  ruling_due: l('司法确认审查期限提醒', 'Ruling due'),
  ruling_overdue: l('司法确认审查超期', 'Ruling overdue'),
  installment_due: l('协议履行期限提醒', 'Installment due'),
  installment_breach: l('协议未按期履行', 'Installment unpaid'),
  case_assigned: l('指派调解', 'Case assigned'),
  confirmation_requested: l('司法确认申请', 'Confirmation requested'),
  confirmation_ruled: l('司法确认裁定', 'Confirmation ruled'),
  case_returned_to_court: l('调解不成退回法院', 'Case returned to the court'),
};

export const ROLE: Labels<Role> = {
  [Role.Admin]: l('系统管理员', 'Administrator'),
  [Role.UnionStaff]: l('工会工作人员', 'Union staff'),
  [Role.Mediator]: l('调解员', 'Mediator'),
  [Role.CourtClerk]: l('法院书记员', 'Court clerk'),
};

export const SESSION_MODE: Labels<SessionMode> = {
  onsite: l('现场调解', 'On site'),
  video: l('视频调解', 'Video'),
  phone: l('电话调解', 'Phone'),
};

export const SESSION_STATUS: Labels<SessionStatus> = {
  scheduled: l('已安排', 'Scheduled'),
  held: l('已调解', 'Held'),
  cancelled: l('已取消', 'Cancelled'),
  no_show: l('当事人未到场', 'No show'),
};

export const CONFIRMATION_STATUS: Labels<ConfirmationStatus> = {
  pending: l('待受理', 'Awaiting acceptance'),
  accepted: l('已受理待裁定', 'Accepted, ruling due'),
  confirmed: l('裁定确认有效', 'Confirmed'),
  rejected: l('驳回申请或不予受理', 'Rejected or not accepted'),
};

export const PARTY_KIND: Labels<PartyKind> = {
  worker: l('劳动者', 'Worker'),
  employer: l('用人单位', 'Employer'),
};

export const COURT_OUTCOME: Labels<CourtOutcome> = {
  mediation_document: l('出具民事调解书', 'Civil mediation document issued'),
  suit_withdrawn: l('准予撤诉', 'Suit withdrawn'),
};

export type BreachRemedy = 'enforcement' | 'payment_order' | 'arbitration';
export const BREACH_REMEDY: Labels<BreachRemedy> = {
  enforcement: l('向人民法院申请强制执行', 'Apply to the court for enforcement'),
  payment_order: l('依法向人民法院申请支付令（《劳动争议调解仲裁法》第十六条）', 'Apply for a payment order (art. 16)'),
  arbitration: l('依法申请劳动争议仲裁（《劳动争议调解仲裁法》第十五条）', 'Apply for labor arbitration (art. 15)'),
};

/** Every group, as `GET /labels` serves it: `{ group: { code: { zh, en } } }`. */
export const LABELS = {
  caseStatus: CASE_STATUS,
  caseSource: CASE_SOURCE,
  disputeType: DISPUTE_TYPE,
  caseAction: CASE_ACTION,
  handOff: HAND_OFF,
  eventType: EVENT_TYPE,
  consultationChannel: CONSULTATION_CHANNEL,
  consultationOutcome: CONSULTATION_OUTCOME,
  reminderKind: REMINDER_KIND,
  role: ROLE,
  sessionMode: SESSION_MODE,
  sessionStatus: SESSION_STATUS,
  confirmationStatus: CONFIRMATION_STATUS,
  partyKind: PARTY_KIND,
  courtOutcome: COURT_OUTCOME,
  breachRemedy: BREACH_REMEDY,
} satisfies Record<string, Record<string, Label>>;

/** The Chinese label of a code (the code itself when unknown). */
export function zh<G extends keyof typeof LABELS>(group: G, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return (LABELS[group] as Record<string, Label>)[code]?.zh ?? code;
}

/** One group's Chinese labels alone (`{ code: zh }`), for exports, reports and documents. */
export function chineseLabels<K extends string>(labels: Labels<K>): Record<K, string> {
  return Object.fromEntries(Object.entries<Label>(labels).map(([k, v]) => [k, v.zh])) as Record<K, string>;
}

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = chineseLabels(CASE_STATUS);
export const CASE_SOURCE_LABELS: Record<CaseSource, string> = chineseLabels(CASE_SOURCE);
export const DISPUTE_TYPE_LABELS: Record<DisputeType, string> = chineseLabels(DISPUTE_TYPE);
/** Keyed by any string: the exports read the status from a raw row. */
export const CONFIRMATION_STATUS_LABELS: Record<string, string> = chineseLabels(CONFIRMATION_STATUS);
