/** Made-up Chinese names, companies and places for the demo data set (deterministic with a seed). */
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏飞慧婷雪梅海燕春晓东志宏俊峰浩然欣怡子涵宇轩佳琪梓萱思远振华卫东秋菊德胜永福'.split('');
const COMPANY_WORDS = ['长江', '汉水', '楚天', '江城', '晴川', '黄鹤', '东湖', '光谷', '汉正', '荆楚', '鼎盛', '恒通', '华信', '金桥', '宏达', '顺发', '新锐', '远航', '同心', '众鑫'];
const INDUSTRIES = ['建筑工程', '物业管理', '餐饮管理', '商贸', '物流', '电子科技', '服装制造', '装饰工程', '汽车零部件', '家政服务', '劳务派遣', '食品加工'];
const SUMMARIES: Record<string, string[]> = {
  wage_arrears: ['拖欠工资三个月未支付', '工程完工后拖欠农民工工资', '公司停业后未结清工资', '克扣加班工资及绩效奖金'],
  dismissal: ['未提前通知即解除劳动合同', '以末位淘汰为由辞退员工', '孕期被违法解除劳动合同', '要求支付违法解除赔偿金'],
  social_insurance: ['未依法缴纳社会保险', '社保缴费基数低于实际工资', '离职后未办理社保转移手续'],
  work_injury: ['工伤认定后未支付停工留薪期工资', '工伤医疗费用报销争议', '一次性伤残就业补助金争议'],
  overtime: ['长期加班未支付加班费', '休息日加班未安排补休也未支付报酬'],
  compensation: ['经济补偿金计算争议', '未签订书面劳动合同二倍工资差额'],
  other: ['年休假工资争议', '竞业限制补偿金争议', '培训服务期违约金争议'],
};

export const DEMO_WORKSTATIONS = [
  { code: 'WH-JA', name: '江岸区劳动争议诉调对接工作室', court: '武汉市江岸区人民法院', union: '武汉市江岸区总工会', region: '湖北省武汉市江岸区' },
  { code: 'WH-JH', name: '江汉区劳动争议诉调对接工作室', court: '武汉市江汉区人民法院', union: '武汉市江汉区总工会', region: '湖北省武汉市江汉区' },
  { code: 'WH-QK', name: '硚口区劳动争议诉调对接工作室', court: '武汉市硚口区人民法院', union: '武汉市硚口区总工会', region: '湖北省武汉市硚口区' },
  { code: 'WH-HY', name: '汉阳区劳动争议诉调对接工作室', court: '武汉市汉阳区人民法院', union: '武汉市汉阳区总工会', region: '湖北省武汉市汉阳区' },
  { code: 'WH-WC', name: '武昌区劳动争议诉调对接工作室', court: '武汉市武昌区人民法院', union: '武汉市武昌区总工会', region: '湖北省武汉市武昌区' },
];

/** A small deterministic PRNG (mulberry32) so that the demo is the same on every machine. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, pick, int };
}

export type Rng = ReturnType<typeof rng>;

export const personName = (r: Rng) => r.pick(SURNAMES) + r.pick(GIVEN) + (r.next() < 0.6 ? r.pick(GIVEN) : '');
export const companyName = (r: Rng, region: string) => `武汉${r.pick(COMPANY_WORDS)}${r.pick(INDUSTRIES)}有限公司`.replace('武汉', region.includes('武汉') ? '武汉' : '');
export const summaryFor = (r: Rng, disputeType: string) => r.pick(SUMMARIES[disputeType] ?? SUMMARIES.other);

/** A made-up 18-character identity number with a valid-looking shape (Hubei prefix, birth date). */
export function idNumber(r: Rng): string {
  const birth = `${r.int(1965, 2003)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}`;
  return `4201${String(r.int(2, 17)).padStart(2, '0')}${birth}${String(r.int(0, 999)).padStart(3, '0')}${r.pick('0123456789X'.split(''))}`;
}

export const phone = (r: Rng) => `1${r.pick(['38', '39', '58', '86', '87', '35', '36'])}${String(r.int(0, 99999999)).padStart(8, '0')}`;
export const creditCode = (r: Rng) => `91420100${Array.from({ length: 10 }, () => r.pick('0123456789ABCDEFGHJKLMNPQRTUWXY'.split(''))).join('')}`;
