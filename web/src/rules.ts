import type { FormItemRule } from 'element-plus';
import { i18n } from './i18n';
import { MONEY_INPUT } from './format';

/** Inline validation (the page's language) before anything is sent: the same limits as the API's DTOs. */
const t = (key: string, args?: Record<string, unknown>) => i18n.global.t(key, args ?? {});

export const required = (fieldKey: string): FormItemRule => ({
  required: true,
  trigger: ['blur', 'change'],
  validator: (_r, v, cb) => (v === undefined || v === null || String(v).trim() === '' || (Array.isArray(v) && !v.length) ? cb(new Error(t('validation.required', { field: t(fieldKey) }))) : cb()),
});
export const maxLength = (n: number): FormItemRule => ({ max: n, trigger: 'blur', message: () => t('validation.maxLength', { n }) });
const pattern = (re: RegExp, key: string): FormItemRule => ({
  trigger: 'blur',
  validator: (_r, v, cb) => (v === undefined || v === null || v === '' || re.test(String(v)) ? cb() : cb(new Error(t(key)))),
});
export const money = pattern(MONEY_INPUT, 'validation.money');
export const phone = pattern(/^[0-9+ -]{5,20}$/, 'validation.phone');
export const idNumber = pattern(/^[0-9A-Za-z]{6,32}$/, 'validation.idNumber');
export const creditCode = pattern(/^[0-9A-Za-z]{6,32}$/, 'validation.creditCode');
export const username = pattern(/^[A-Za-z0-9_.-]{3,64}$/, 'validation.username');
export const workstationCode = pattern(/^[A-Z0-9][A-Z0-9-]{1,31}$/, 'validation.code');
export const password: FormItemRule = { min: 10, max: 128, trigger: 'blur', message: () => t('validation.password') };
export const days: FormItemRule = {
  trigger: 'blur',
  validator: (_r, v, cb) => (/^\d{1,2}$/.test(String(v)) && Number(v) >= 1 && Number(v) <= 90 ? cb() : cb(new Error(t('validation.days')))),
};
