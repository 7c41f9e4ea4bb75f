// µs CPU per intake of the intake-specific JS: validation quick path + CaseIntakeService.create on a fake
// transaction (canned rows, no DB) + the view's JSON. Builds given as ROOTS=label=/path,... alternating rounds, medians.
const roots = (process.env.ROOTS || 'base=/work/wt-intake-base,new=/work/wt-intake').split(',').map((s) => s.split('='));
require('/work/main/node_modules/reflect-metadata');
const { DataSource } = require('/work/main/node_modules/typeorm');
const builds = {};
for (const [label, root] of roots) {
  const r = (p) => require(`${root}/dist/src/${p}`);
  const { ENTITIES } = r('database/entities.js');
  const ds = new DataSource({ type: 'postgres', entities: ENTITIES });
  ds.buildMetadatas && 0;
  builds[label] = { root, r, ds };
}
const body = (i) => JSON.stringify({ workstationId: '0b9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e', source: ['walk_in', 'hotline', 'arbitration_referral'][i % 3], disputeType: 'wage_arrears', summary: '申请人主张被申请人拖欠3个月工资，要求支付工资及经济补偿', claimAmount: `${10000 + (i % 5000)}.50`, applicant: { name: '张三', idNumber: '440104199001011234', phone: '13800000000' }, respondent: { name: '广州市宏达电子科技有限公司', creditCode: '91440101MA5ABCDE0X', phone: '020-12345678' } });
const bodies = Array.from({ length: 100 }, (_, i) => body(i));
const actor = { id: '11111111-1111-4111-8111-111111111111', role: 'union_staff', workstationId: '0b9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e', username: 'ws01_staff' };
(async () => {
  const run = {};
  for (const [label, b] of Object.entries(builds)) {
    await b.ds.buildMetadatas();
    const { CaseIntakeService } = b.r('cases/case-intake.service.js');
    const { CasesRepository } = b.r('case-core/cases.repository.js');
    const { CaseTransactionService } = b.r('case-core/case-transaction.service.js');
    const { RemindersService } = b.r('reminders/reminders.service.js');
    const { RemindersRepository } = b.r('reminders/reminders.repository.js');
    const { SystemClock } = b.r('common/clock.js');
    const { CreateCaseDto } = b.r('cases/dto/create-case.dto.js');
    const clock = new SystemClock();
    const cases = new CasesRepository(b.ds, null);
    const svc = CaseIntakeService.length === 7 ? new CaseIntakeService(b.ds, cases, new CaseTransactionService(b.ds, cases, clock), new RemindersService(clock, new RemindersRepository(b.ds), null), clock, { calendar: async () => ({}) }, null) : new CaseIntakeService(cases, new CaseTransactionService(b.ds, cases, clock), new RemindersService(clock, new RemindersRepository(b.ds), null), clock, { calendar: async () => ({}) }, null);
    let seq = 0;
    const em = { query: (sql) => Promise.resolve(sql.includes('case_number_counters') ? [{ case_number: `WS01-2026-${String(++seq).padStart(6, '0')}` }] : sql.includes('case_events') ? [{ id: '1' }] : []) };
    run[label] = async (i) => {
      const dto = CreateCaseDto.accept(JSON.parse(bodies[i % 100]));
      const view = await svc.create(actor, dto, undefined, em);
      return JSON.stringify(view).length;
    };
  }
  const N = +(process.env.N || 20000), res = Object.fromEntries(Object.keys(run).map((k) => [k, []]));
  const labels = Object.keys(run);
  for (let r = 0; r < 11; r++) for (const name of r % 2 ? labels.slice().reverse() : labels) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await run[name](i);
    const c = process.cpuUsage(c0);
    if (r > 0) res[name].push(+((c.user + c.system) / N).toFixed(2));
  }
  const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const k of labels) console.log(k, 'median µs/intake', med(res[k]), JSON.stringify(res[k]));
})();
