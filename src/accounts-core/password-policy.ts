import { invalidInput } from '../common/errors/domain-error';
import { isCommonPassword } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

/** Why a password is refused (English, Chinese), or null when it is acceptable. */
export function passwordProblem(password: string, username: string): { message: string; messageZh: string } | null {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
    return { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters`, messageZh: `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符` };
  }
  if (password.length > MAX_PASSWORD_LENGTH) return { message: `password must be at most ${MAX_PASSWORD_LENGTH} characters`, messageZh: `密码最多 ${MAX_PASSWORD_LENGTH} 个字符` };
  if (password.trim() === '') return { message: 'password must not be only spaces', messageZh: '密码不能只包含空格' };
  const p = password.toLowerCase();
  const u = username.toLowerCase();
  if (p === u || (u.length >= 4 && p.includes(u))) return { message: 'password must not contain the username', messageZh: '密码不能包含用户名' };
  if (isCommonPassword(password)) return { message: 'password is too common', messageZh: '密码过于常见，请换一个更难猜的密码' };
  return null;
}

/** 400 naming the field when the password does not meet the policy (DESIGN "Security and personal data"). */
export function assertPasswordAcceptable(password: string, username: string, field = 'password'): void {
  const problem = passwordProblem(password, username);
  if (problem) throw invalidInput(problem.message, { field }, problem.messageZh);
}
