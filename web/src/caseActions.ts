import { api, unwrap } from './api/client';
import type { CaseDetail, InstallmentView, SessionView } from './api/types';
import { centsToAmount, formatMoney, nowWallTime, toCents, wallTimeToInstant, instantToWallTime } from './format';
import { i18n } from './i18n';
import { codes, label } from './labels';
import * as R from './rules';
import type { FormItemRule } from 'element-plus';

/**
 * Every action of the case page as data: its form's fields (named as the API's body fields, so a
 * 400's details land beside the right field), and the call it makes. Which actions are offered
 * comes from the case's `allowedActions`; nothing here decides that.
 */
export type FieldType = 'text' | 'textarea' | 'money' | 'date' | 'datetime' | 'select' | 'number' | 'checkbox' | 'checkboxes' | 'installments' | 'mediator' | 'radio';
export interface FieldSpec {
  name: string;
  label: string;
  type: FieldType;
  options?: () => Array<{ value: string; label: string }>;
  rules?: FormItemRule[];
  initial?: () => unknown;
  maxlength?: number;
  show?: (v: Values) => boolean;
}
export type Values = Record<string, any>;
export interface ActionContext {
  c: CaseDetail;
  session?: SessionView;
  installment?: InstallmentView;
}
export interface ActionSpec {
  key: string;
  title: string;
  fields: (ctx: ActionContext) => FieldSpec[];
  /** Checks across fields (e.g. installments add up); field → message. */
  check?: (v: Values, ctx: ActionContext) => Record<string, string>;
  /** A question to confirm before sending (the ruling). */
  confirm?: (v: Values) => string;
  submit: (v: Values, ctx: ActionContext) => Promise<unknown>;
  danger?: boolean;
}

const t = (k: string, a?: Record<string, unknown>) => i18n.global.t(k, a ?? {});
const opts = (group: string, list?: string[]) => () => (list ?? codes(group)).map((value) => ({ value, label: label(group, value) }));
const trimmed = (v: unknown): string => (typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v));
/** Only the fields that were filled in. */
function compact(body: Values): Values {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== '' && v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)));
}
const version = (ctx: ActionContext) => ({ expectedVersion: ctx.c.version });
const id = (ctx: ActionContext) => ({ params: { path: { id: ctx.c.id } } });
const reason = (required = true): FieldSpec => ({ name: 'reason', label: 'field.reason', type: 'textarea', maxlength: 2000, rules: required ? [R.required('field.reason'), R.maxLength(2000)] : [R.maxLength(2000)] });
const COURT = ['court_entrusted', 'court_assigned'];

const confirmation = (ctx: ActionContext) => ({ params: { path: { id: ctx.c.confirmation!.id } } });

export const ACTIONS: Record<string, ActionSpec> = {
  assign: {
    key: 'assign',
    title: 'action.assign',
    fields: () => [{ name: 'mediatorId', label: 'field.mediator', type: 'mediator', rules: [R.required('field.mediator')] }],
    submit: (v, ctx) => unwrap(api.POST('/api/v1/cases/{id}/assign', { ...id(ctx), body: { mediatorId: v.mediatorId, ...version(ctx) } })),
  },
  add_note: {
    key: 'add_note',
    title: 'action.add_note',
    fields: () => [
      { name: 'text', label: 'field.text', type: 'textarea', maxlength: 5000, rules: [R.required('field.text'), R.maxLength(5000)] },
      { name: 'contactedParty', label: 'field.contactedParty', type: 'select', options: opts('contactedParty') },
    ],
    submit: (v, ctx) =>
      unwrap(api.POST('/api/v1/cases/{id}/notes', { ...id(ctx), body: compact({ text: trimmed(v.text), contactedParty: v.contactedParty, ...version(ctx) }) as never })),
  },
  schedule_session: {
    key: 'schedule_session',
    title: 'action.schedule_session',
    fields: () => [
      { name: 'scheduledAt', label: 'field.scheduledAt', type: 'datetime', rules: [R.required('field.scheduledAt')] },
      { name: 'mode', label: 'field.mode', type: 'select', options: opts('sessionMode'), initial: () => 'onsite', rules: [R.required('field.mode')] },
      { name: 'location', label: 'field.location', type: 'text', maxlength: 300 },
    ],
    submit: (v, ctx) =>
      unwrap(api.POST('/api/v1/cases/{id}/sessions', { ...id(ctx), body: compact({ scheduledAt: wallTimeToInstant(v.scheduledAt), mode: v.mode, location: trimmed(v.location), ...version(ctx) }) as never })),
  },
  session_move: {
    key: 'session_move',
    title: 'action.sessionMove',
    fields: (ctx) => [{ name: 'scheduledAt', label: 'field.scheduledAt', type: 'datetime', rules: [R.required('field.scheduledAt')], initial: () => (ctx.session ? instantToWallTime(ctx.session.scheduledAt as unknown as string) : '') }],
    submit: (v, ctx) => unwrap(api.PATCH('/api/v1/sessions/{id}', { params: { path: { id: ctx.session!.id } }, body: { scheduledAt: wallTimeToInstant(v.scheduledAt), ...version(ctx) } })),
  },
  session_cancel: {
    key: 'session_cancel',
    title: 'action.sessionCancel',
    danger: true,
    fields: () => [{ name: 'notes', label: 'field.reason', type: 'textarea', maxlength: 10000 }],
    submit: (v, ctx) => unwrap(api.PATCH('/api/v1/sessions/{id}', { params: { path: { id: ctx.session!.id } }, body: compact({ status: 'cancelled', notes: trimmed(v.notes), ...version(ctx) }) as never })),
  },
  session_held: {
    key: 'session_held',
    title: 'action.sessionHeld',
    fields: () => [{ name: 'notes', label: 'field.notes', type: 'textarea', maxlength: 10000, rules: [R.maxLength(10000)] }],
    submit: (v, ctx) => unwrap(api.PATCH('/api/v1/sessions/{id}', { params: { path: { id: ctx.session!.id } }, body: compact({ status: 'held', notes: trimmed(v.notes), ...version(ctx) }) as never })),
  },
  session_no_show: {
    key: 'session_no_show',
    title: 'action.sessionNoShow',
    fields: () => [{ name: 'notes', label: 'field.notes', type: 'textarea', maxlength: 10000 }],
    submit: (v, ctx) => unwrap(api.PATCH('/api/v1/sessions/{id}', { params: { path: { id: ctx.session!.id } }, body: compact({ status: 'no_show', notes: trimmed(v.notes), ...version(ctx) }) as never })),
  },
  record_agreement: {
    key: 'record_agreement',
    title: 'action.record_agreement',
    fields: () => [
      { name: 'terms', label: 'field.terms', type: 'textarea', maxlength: 20000, rules: [R.required('field.terms'), R.maxLength(20000)] },
      { name: 'agreedAmount', label: 'field.agreedAmount', type: 'money', rules: [R.required('field.agreedAmount'), R.money] },
      { name: 'signedAt', label: 'field.signedAt', type: 'datetime', initial: nowWallTime, rules: [R.required('field.signedAt')] },
      { name: 'effectiveAt', label: 'field.effectiveAt', type: 'datetime' },
      { name: 'installments', label: 'field.installments', type: 'installments', initial: () => [] },
    ],
    check: (v) => {
      const out: Record<string, string> = {};
      const rows = v.installments as Array<{ dueDate: string; amount: string }>;
      let sum = 0n;
      rows.forEach((r, i) => {
        if (!r.dueDate) out[`installments.${i}.dueDate`] = t('validation.date');
        const cents = toCents(r.amount ?? '');
        if (cents === null) out[`installments.${i}.amount`] = t('validation.money');
        else sum += cents;
      });
      const total = toCents(v.agreedAmount ?? '');
      if (rows.length && total !== null && !Object.keys(out).length && sum !== total) {
        out.installments = t('validation.installmentsSum', { sum: formatMoney(centsToAmount(sum)), total: formatMoney(centsToAmount(total)) });
      }
      return out;
    },
    submit: (v, ctx) =>
      unwrap(
        api.POST('/api/v1/cases/{id}/agreement', {
          ...id(ctx),
          body: compact({
            terms: trimmed(v.terms),
            agreedAmount: trimmed(v.agreedAmount),
            signedAt: wallTimeToInstant(v.signedAt),
            effectiveAt: v.effectiveAt ? wallTimeToInstant(v.effectiveAt) : undefined,
            installments: (v.installments as Array<{ dueDate: string; amount: string }>).map((r) => ({ dueDate: r.dueDate, amount: r.amount.trim() })),
            ...version(ctx),
          }) as never,
        }),
      ),
  },
  record_payment: {
    key: 'record_payment',
    title: 'action.record_payment',
    fields: () => [
      { name: 'paidAt', label: 'field.paidAt', type: 'datetime', initial: nowWallTime, rules: [R.required('field.paidAt')] },
      { name: 'amount', label: 'field.amount', type: 'money', rules: [R.money] },
    ],
    submit: (v, ctx) =>
      unwrap(
        api.POST('/api/v1/agreements/{id}/installments/{n}/payment', {
          params: { path: { id: ctx.c.agreement!.id, n: ctx.installment!.n as never } },
          body: compact({ paidAt: wallTimeToInstant(v.paidAt), amount: trimmed(v.amount), ...version(ctx) }) as never,
        }),
      ),
  },
  fail: {
    key: 'fail',
    title: 'action.fail',
    danger: true,
    fields: (ctx) => [
      reason(),
      {
        name: 'handOff',
        label: 'field.handOff',
        type: 'select',
        options: opts('handOff', COURT.includes(ctx.c.source) ? ['returned_to_court'] : ['arbitration', 'none']),
        initial: () => (COURT.includes(ctx.c.source) ? 'returned_to_court' : 'arbitration'),
        rules: [R.required('field.handOff')],
      },
    ],
    submit: (v, ctx) => unwrap(api.POST('/api/v1/cases/{id}/failure', { ...id(ctx), body: { reason: trimmed(v.reason), handOff: v.handOff, ...version(ctx) } as never })),
  },
  withdraw: {
    key: 'withdraw',
    title: 'action.withdraw',
    danger: true,
    fields: () => [reason()],
    submit: (v, ctx) => unwrap(api.POST('/api/v1/cases/{id}/withdrawal', { ...id(ctx), body: { reason: trimmed(v.reason), ...version(ctx) } })),
  },
  extend_deadline: {
    key: 'extend_deadline',
    title: 'action.extend_deadline',
    fields: (ctx) => [
      { name: 'days', label: 'field.days', type: 'number', rules: [R.required('field.days'), R.days] },
      reason(),
      { name: 'agreedBy', label: 'field.agreedBy', type: 'checkboxes', options: opts('contactedParty', ['applicant', 'respondent']), initial: () => [] },
      // A court case's extension needs the court's approval (when, and a reference such as the judge's note).
      ...(COURT.includes(ctx.c.source)
        ? [
            { name: 'courtApproval.approvedAt', label: 'field.courtApproval', type: 'datetime' as const, rules: [R.required('field.courtApproval')] },
            { name: 'courtApproval.reference', label: 'field.courtReference', type: 'text' as const, maxlength: 200 },
          ]
        : []),
    ],
    check: (v): Record<string, string> => ((v.agreedBy as string[]).length === 2 ? {} : { agreedBy: t('validation.agreedBy') }),
    submit: (v, ctx) =>
      unwrap(
        api.POST('/api/v1/cases/{id}/extension', {
          ...id(ctx),
          body: {
            days: Number(v.days),
            reason: trimmed(v.reason),
            agreedBy: v.agreedBy,
            ...(v['courtApproval.approvedAt'] ? { courtApproval: compact({ approvedAt: wallTimeToInstant(v['courtApproval.approvedAt']), reference: trimmed(v['courtApproval.reference']) }) } : {}),
            ...version(ctx),
          } as never,
        }),
      ),
  },
  request_confirmation: {
    key: 'request_confirmation',
    title: 'action.request_confirmation',
    fields: () => [
      { name: 'appliedAt', label: 'field.appliedAt', type: 'datetime', initial: nowWallTime },
      { name: 'court', label: 'field.court', type: 'text', maxlength: 200 },
    ],
    submit: (v, ctx) =>
      unwrap(api.POST('/api/v1/cases/{id}/confirmation-request', { ...id(ctx), body: compact({ appliedAt: v.appliedAt ? wallTimeToInstant(v.appliedAt) : undefined, court: trimmed(v.court), ...version(ctx) }) as never })),
  },
  waive_confirmation: {
    key: 'waive_confirmation',
    title: 'action.waive_confirmation',
    fields: () => [reason(false)],
    submit: (v, ctx) => unwrap(api.POST('/api/v1/cases/{id}/confirmation-waiver', { ...id(ctx), body: compact({ reason: trimmed(v.reason), ...version(ctx) }) as never })),
  },
  accept_confirmation: {
    key: 'accept_confirmation',
    title: 'action.accept_confirmation',
    fields: () => [{ name: 'acceptanceNumber', label: 'field.acceptanceNumber', type: 'text', maxlength: 100, rules: [R.required('field.acceptanceNumber')] }],
    submit: (v, ctx) =>
      unwrap(api.POST('/api/v1/confirmations/{id}/acceptance', { ...confirmation(ctx), body: { decision: 'accepted', acceptanceNumber: trimmed(v.acceptanceNumber), ...version(ctx) } })),
  },
  decline_confirmation: {
    key: 'decline_confirmation',
    title: 'action.decline_confirmation',
    danger: true,
    fields: () => [reason()],
    submit: (v, ctx) => unwrap(api.POST('/api/v1/confirmations/{id}/acceptance', { ...confirmation(ctx), body: { decision: 'not_accepted', reason: trimmed(v.reason), ...version(ctx) } })),
  },
  extend_ruling: {
    key: 'extend_ruling',
    title: 'action.extend_ruling',
    fields: () => [reason()],
    submit: (v, ctx) => unwrap(api.POST('/api/v1/confirmations/{id}/extension', { ...confirmation(ctx), body: { reason: trimmed(v.reason), ...version(ctx) } })),
  },
  ruling: {
    key: 'ruling',
    title: 'action.ruling',
    fields: (ctx) => [
      {
        name: 'decision',
        label: 'field.decision',
        type: 'radio',
        options: opts('decision', ['confirmed', 'rejected'].filter((d) => ctx.c.allowedActions.includes(d === 'confirmed' ? 'rule_confirmed' : 'rule_rejected'))),
        rules: [R.required('field.decision')],
      },
      { name: 'rulingNumber', label: 'field.rulingNumber', type: 'text', maxlength: 100, rules: [R.required('field.rulingNumber'), R.maxLength(100)] },
      { name: 'reason', label: 'field.reason', type: 'textarea', maxlength: 2000 },
    ],
    check: (v): Record<string, string> => (v.decision === 'rejected' && !String(v.reason ?? '').trim() ? { reason: t('validation.reasonOnReject') } : {}),
    confirm: (v) => t('case.ruleConfirm', { decision: label('decision', v.decision), number: String(v.rulingNumber).trim() }),
    submit: (v, ctx) =>
      unwrap(
        api.POST('/api/v1/confirmations/{id}/ruling', {
          params: { path: { id: ctx.c.confirmation!.id } },
          body: compact({ decision: v.decision, rulingNumber: trimmed(v.rulingNumber), reason: trimmed(v.reason), ...version(ctx) }) as never,
        }),
      ),
  },
  record_court_outcome: {
    key: 'record_court_outcome',
    title: 'action.record_court_outcome',
    fields: () => [
      { name: 'outcome', label: 'field.outcome', type: 'select', options: opts('outcome'), rules: [R.required('field.outcome')] },
      { name: 'documentNumber', label: 'field.documentNumber', type: 'text', maxlength: 100 },
      { name: 'date', label: 'field.date', type: 'date', rules: [R.required('field.date')] },
    ],
    check: (v): Record<string, string> => (v.outcome === 'mediation_document' && !trimmed(v.documentNumber) ? { documentNumber: t('validation.required', { field: t('field.documentNumber') }) } : {}),
    submit: (v, ctx) => unwrap(api.POST('/api/v1/cases/{id}/court-outcome', { ...id(ctx), body: compact({ outcome: v.outcome, documentNumber: trimmed(v.documentNumber), date: v.date, ...version(ctx) }) as never })),
  },
  renegotiate: {
    key: 'renegotiate',
    title: 'action.renegotiate',
    fields: () => [reason()],
    submit: (v, ctx) => unwrap(api.POST('/api/v1/cases/{id}/renegotiation', { ...id(ctx), body: { reason: trimmed(v.reason), ...version(ctx) } })),
  },
  correct: {
    key: 'correct',
    title: 'action.correct',
    fields: (ctx) => [
      { name: 'summary', label: 'field.summary', type: 'textarea', maxlength: 5000, initial: () => ctx.c.summary, rules: [R.required('field.summary')] },
      { name: 'claimAmount', label: 'field.claimAmount', type: 'money', initial: () => ctx.c.claimAmount, rules: [R.required('field.claimAmount'), R.money] },
      { name: 'disputeType', label: 'field.disputeType', type: 'select', options: opts('disputeType'), initial: () => ctx.c.disputeType },
      { name: 'courtCaseNumber', label: 'field.courtCaseNumber', type: 'text', initial: () => ctx.c.courtCaseNumber ?? '', show: () => COURT.includes(ctx.c.source) },
      { name: 'applicant.name', label: 'field.applicant', type: 'text', initial: () => ctx.c.applicant.name, rules: [R.required('field.applicant')] },
      { name: 'applicant.phone', label: 'field.phone', type: 'text', initial: () => ctx.c.applicant.phone ?? '', rules: [R.phone] },
      { name: 'respondent.name', label: 'field.respondent', type: 'text', initial: () => ctx.c.respondent.name, rules: [R.required('field.respondent')] },
      { name: 'respondent.phone', label: 'field.phone', type: 'text', initial: () => ctx.c.respondent.phone ?? '', rules: [R.phone] },
    ],
    submit: (v, ctx) => {
      // Only what changed is sent (each change is an event with the old and new values).
      const body: Values = { ...version(ctx) };
      const c = ctx.c as unknown as Values;
      for (const k of ['summary', 'claimAmount', 'disputeType', 'courtCaseNumber']) if ((trimmed(v[k]) ?? '') !== (c[k] ?? '')) body[k] = trimmed(v[k]);
      for (const p of ['applicant', 'respondent']) {
        const changed: Values = {};
        for (const k of ['name', 'phone']) if ((trimmed(v[`${p}.${k}`]) ?? '') !== (c[p][k] ?? '')) changed[k] = trimmed(v[`${p}.${k}`]);
        if (Object.keys(changed).length) body[p] = changed;
      }
      return unwrap(api.PATCH('/api/v1/cases/{id}', { ...id(ctx), body: body as never }));
    },
  },
  void: {
    key: 'void',
    title: 'action.void',
    danger: true,
    fields: () => [reason()],
    submit: (v, ctx) => unwrap(api.POST('/api/v1/cases/{id}/void', { ...id(ctx), body: { reason: trimmed(v.reason), ...version(ctx) } })),
  },
};
ACTIONS.reassign = { ...ACTIONS.assign, key: 'reassign', title: 'action.reassign' };

/**
 * The buttons of the action bar for a case's allowedActions. Session and payment actions sit on
 * their rows; the two ruling actions are one form; hold_session/update_session need a session.
 */
const ON_ROWS = new Set(['update_session', 'hold_session', 'record_payment']);
export function barActions(allowed: string[]): ActionSpec[] {
  const keys: string[] = [];
  for (const a of allowed) {
    if (ON_ROWS.has(a)) continue;
    const key = a === 'rule_confirmed' || a === 'rule_rejected' ? 'ruling' : a;
    if (ACTIONS[key] && !keys.includes(key)) keys.push(key);
  }
  return keys.map((k) => ACTIONS[k]);
}
