import { CaseSource, CaseStatus, DisputeType } from '../case-core/case-lifecycle';
import { CASE_SOURCE, CASE_STATUS, CONFIRMATION_STATUS, DISPUTE_TYPE, Label } from '../labels/labels';

/** Chinese labels for exports and reports: read from the one labels module (src/labels/labels.ts). */
const chinese = <K extends string>(labels: Record<K, Label>): Record<K, string> =>
  Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, (v as Label).zh])) as Record<K, string>;

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = chinese(CASE_STATUS);
export const CASE_SOURCE_LABELS: Record<CaseSource, string> = chinese(CASE_SOURCE);
export const DISPUTE_TYPE_LABELS: Record<DisputeType, string> = chinese(DISPUTE_TYPE);
export const CONFIRMATION_STATUS_LABELS: Record<string, string> = chinese(CONFIRMATION_STATUS);
