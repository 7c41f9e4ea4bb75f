/**
 * The remedy on breach of a mediation agreement (pure; DESIGN.md "Deadlines and reminders"):
 * - a judicially confirmed agreement, or a court's 民事调解书: enforcement by the court (申请强制执行);
 * - an unconfirmed agreement on 劳动报酬, 工伤医疗费, 经济补偿 or 赔偿金: a payment order (支付令,
 *   Labor Dispute Mediation and Arbitration Law art. 16);
 * - any other unconfirmed agreement: arbitration (art. 15).
 */
import { CaseStatus, DisputeType } from '../case-core/case-lifecycle';
import { BreachRemedy } from '../labels/labels';

/** Dispute types whose agreements art. 16 covers (overtime pay is labor remuneration). */
export const PAYMENT_ORDER_DISPUTES: ReadonlySet<DisputeType> = new Set(['wage_arrears', 'overtime', 'work_injury', 'compensation']);

export function breachRemedy(status: CaseStatus, disputeType: DisputeType): BreachRemedy {
  if (status === 'confirmed' || status === 'court_concluded') return 'enforcement';
  if (PAYMENT_ORDER_DISPUTES.has(disputeType)) return 'payment_order';
  return 'arbitration';
}
