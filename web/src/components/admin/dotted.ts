import type { components } from '../../api/schema';
import { label } from '../../labels';

/**
 * Codes with a dot ("user.password_reset", "case.failed"): vue-i18n reads a dot in a key as a
 * path, so their labels are kept under "user__password_reset"; the lists are the API's own unions.
 */
export const dottedLabel = (group: string, code: string) => label(group, code.replace('.', '__'));

export type AuditAction = components['schemas']['AuditEntryDto']['action'];
export const AUDIT_ACTIONS: AuditAction[] = [
  'auth.login', 'auth.login_failed', 'auth.logout', 'auth.password_changed', 'user.created', 'user.updated', 'user.password_reset', 'mediator.updated',
  'service_account.created', 'service_account.revoked', 'case.identity_viewed', 'case.exported', 'stats.exported', 'case.corrected', 'case.voided', 'case.anonymised',
];
export type WebhookEvent = components['schemas']['WebhookDto']['events'][number];
export const WEBHOOK_EVENTS: WebhookEvent[] = ['case.registered', 'case.assigned', 'case.failed', 'case.concluded', 'confirmation.requested', 'confirmation.ruled'];
