/** What the audit log records (DESIGN "Security and personal data"). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.password_changed',
  'user.created',
  'user.updated',
  'user.password_reset',
  'mediator.updated',
  'service_account.created',
  'service_account.revoked',
  'case.identity_viewed',
  'case.exported',
  'stats.exported',
  'case.corrected',
  'case.voided',
  'case.anonymised',
  'attachment.downloaded',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
