import type { components } from './schema';

/** The shapes the page uses, from the generated schema; the few the document of this build lacks are written here. */
type S = components['schemas'];
export type CaseDetail = S['CaseDetail'];
export type CaseSummary = S['CaseView'];
export type SessionView = S['SessionView'];
export type AgreementView = S['AgreementView'];
export type InstallmentView = S['InstallmentView'];
export type ConfirmationView = S['ConfirmationView'] & {
  acceptedAt?: string | null;
  acceptanceNumber?: string | null;
  acceptanceDueDate?: string | null;
  rulingDueAt?: string | null;
  rulingDueDate?: string | null;
};
export type CaseEvent = S['CaseEventView'] & { actorName?: string | null };
export type Suggestion = S['MediatorSuggestion'];

export interface NotificationView {
  id: string;
  kind: string;
  caseId: string | null;
  caseNumber: string | null;
  message: string;
  dueAt: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  workstationId: string | null;
  phone?: string | null;
  active: boolean;
}

export interface WorkstationView {
  id: string;
  code: string;
  name: string;
  court?: string;
  union?: string;
  region?: string;
}

export type AttachmentView = S['CaseAttachmentView'];

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };
