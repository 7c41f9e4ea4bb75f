import { CaseSource, CaseStatus, DisputeType } from '../cases/case-lifecycle';

/** Chinese labels for exports and reports. */
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  registered: '已登记',
  assigned: '已分派',
  in_mediation: '调解中',
  agreement_reached: '达成协议',
  confirmation_requested: '已申请司法确认',
  confirmed: '已司法确认',
  confirmation_rejected: '司法确认被驳回',
  failed: '调解不成',
  withdrawn: '已撤回',
};

export const CASE_SOURCE_LABELS: Record<CaseSource, string> = {
  court_entrusted: '法院委托',
  court_assigned: '法院委派',
  walk_in: '来访',
  hotline: '热线',
  arbitration_referral: '仲裁转交',
};

export const DISPUTE_TYPE_LABELS: Record<DisputeType, string> = {
  wage_arrears: '拖欠劳动报酬',
  dismissal: '解除劳动关系',
  social_insurance: '社会保险',
  work_injury: '工伤',
  overtime: '加班费',
  compensation: '经济补偿',
  other: '其他',
};

export const CONFIRMATION_STATUS_LABELS: Record<string, string> = {
  pending: '待裁定',
  confirmed: '已确认',
  rejected: '已驳回',
};
