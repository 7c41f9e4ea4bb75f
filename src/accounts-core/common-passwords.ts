/**
 * Passwords of 10 or more characters that appear near the top of public leaked-password lists
 * (the English and the Chinese ones: CSDN, 163, Tianya leaks), lower-cased. The policy also
 * refuses any password made of one repeated character or a run of a keyboard row or of digits.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890', '0123456789', '12345678910', '123456789a', 'a123456789', '1234567890a', 'a1234567890', '123456789q',
  'q123456789', '1234567899', '1111111111', '0000000000', '1122334455', '1234554321', '1234512345', '1314520520',
  '5201314520', 'woaini1314', 'woaini520', 'iloveyou1314', '5201314woaini', 'qq123456789', 'qq1234567890', 'abc1234567',
  'abcd123456', 'abc123456789', 'abcde12345', 'abcdefghij', 'password12', 'password123', 'password1234', 'password01',
  'password!', 'passw0rd12', 'p@ssw0rd12', 'p@ssword123', 'qwertyuiop', 'qwerty1234', 'qwerty12345', 'qwerty123456',
  '1qaz2wsx3edc', '1qaz2wsx3e', '1q2w3e4r5t', '1q2w3e4r5t6y', 'q1w2e3r4t5', 'q1w2e3r4t5y6', 'zxcvbnm123', 'asdfghjkl1',
  'asdfghjkl123', '1qazxsw2', 'qazwsxedc123', 'qazwsxedcrfv', 'zaq12wsx', '!qaz2wsx', 'iloveyou12', 'iloveyou123',
  'sunshine123', 'princess123', 'football123', 'baseball123', 'welcome123', 'welcome1234', 'letmein123', 'monkey12345',
  'dragon1234', 'master1234', 'superman123', 'trustno1234', 'admin12345', 'admin123456', 'administrator', 'administrator1',
  'root123456', 'test123456', 'test1234567', 'guest12345', 'changeme123', 'changeme12', 'default123', 'computer123',
  'internet123', 'china123456', 'wang123456', 'zhang123456', 'li123456789', 'liu123456789', 'chen123456', 'yang123456',
  'huang123456', 'zhao123456', 'wangwei123', 'zhangwei123', 'aa123456789', 'a12345678910', 'aaa123456789', 'woaiwojia',
  'woaiwojia123', 'woshishui123', 'nihao123456', 'wodemima123', 'mima123456', 'mima12345678', 'zxcvbnmasd', 'asdasdasd1',
  'qweqweqwe1', 'qweasdzxc1', 'qweasdzxc123', '123qweasdzxc', '123qwe123qwe', '1q2w3e4r1q2w', 'qwer1234qwer', '12qwaszx12',
  'computer12', 'michael123', 'jennifer123', 'jordan2323', 'shadow1234', 'starwars123', 'whatever123', 'pokemon123',
  'tiaojie123456', 'tiaojie2026', 'laodong123456', 'gonghui123456', 'fayuan123456', 'court123456', 'union123456',
  'mediation123', 'mediator123', 'mediator1234', 'mediation2026', 'secret1234', 'secret12345', 'secret123456',
]);

/** Keyboard rows and digit runs in both directions: any 10 characters taken from one of them is refused. */
const RUNS = ['0123456789012345678901234567890', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p'];

export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  if (COMMON_PASSWORDS.has(p)) return true;
  if (new Set(p).size <= 2) return true;
  return RUNS.some((run) => run.includes(p) || [...run].reverse().join('').includes(p));
}
