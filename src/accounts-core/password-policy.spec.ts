import { passwordProblem } from './password-policy';

describe('password policy', () => {
  it.each([
    ['12345678', 'at least 10'],
    ['          ', 'only spaces'],
    ['            ', 'only spaces'],
    ['zhang.wei.1', 'username'],
    ['ZHANG.WEI.', 'username'],
    ['1234567890', 'too common'],
    ['qwertyuiop', 'too common'],
    ['admin12345', 'too common'],
    ['aaaaaaaaaaaa', 'too common'],
    ['abababababab', 'too common'],
    ['9876543210', 'too common'],
    ['Password123', 'too common'],
  ])('refuses %j (%s)', (password, why) => {
    expect(passwordProblem(password, 'zhang.wei')?.message).toContain(why);
    expect(passwordProblem(password, 'zhang.wei')?.messageZh).toMatch(/[\u4e00-\u9fa5]/);
  });

  it.each(['test-password-1', 'secret-123', '调解员的新密码2026', 'correct horse battery'])('accepts %j', (password) => {
    expect(passwordProblem(password, 'zhang.wei')).toBeNull();
  });
});
