/**
 * Sends the same requests to two builds of the app and compares the answers byte for byte
 * (status, content-type and body): the check that a performance change kept behaviour.
 *
 *   DATABASE_URL=... node dist/bench/compare-builds.js --a /tmp/base --b . [--only list,intake,case,stats]
 *
 * Both builds run side by side on the same database (WORKERS=api); reads are compared as they
 * are; intake's answers differ in their id, number and times, which are replaced by
 * placeholders before comparing. Intake writes cases: it needs DATABASE_URL set to a database of
 * your own (the default, the bench's generated million, is only read, so that runs stay comparable).
 */
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_BENCH_DB_URL } from './generate';
import { ServerProcess, startProductionServer } from './lib/processes';
import { loadFixtures, login } from './lib/scenarios';
import { addDays, shanghaiDate } from '../src/common/business-time';

interface Probe {
  name: string;
  method: string;
  path: string;
  token?: string;
  body?: unknown;
  /** Fields that differ between two intakes by nature (new id, number, times). */
  volatile?: boolean;
  /** An Idempotency-Key, made distinct per build (both builds share the database, and so the keys). */
  idempotencyKey?: string;
}

async function ask(url: string, p: Probe, build: string): Promise<string> {
  const headers: Record<string, string> = {};
  if (p.token) headers.authorization = `Bearer ${p.token}`;
  if (p.idempotencyKey) headers['idempotency-key'] = p.idempotencyKey.length > 255 ? p.idempotencyKey : `${p.idempotencyKey}-${build}-${process.pid}`;
  if (p.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + p.path, { method: p.method, headers, body: p.body === undefined ? undefined : JSON.stringify(p.body) });
  // The case read carries the server's clock.
  let text = (await res.text()).replace(/"serverTime":"[^"]*"/, '"serverTime":"<now>"');
  if (p.volatile) {
    text = text
      .replace(/"id":"[0-9a-f-]{36}"/g, '"id":"<id>"')
      .replace(/"caseNumber":"[^"]*"/g, '"caseNumber":"<n>"')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, '<time>')
      .replace(/"deadlineDate":"[^"]*"/g, '"deadlineDate":"<d>"');
  }
  const keep = ['content-type', 'cache-control', 'content-security-policy', 'x-content-type-options', 'retry-after', 'idempotent-replayed'];
  return `${res.status} ${keep.map((k) => `${k}=${res.headers.get(k)}`).join(' ')}\n${text}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => args[args.indexOf(name) + 1];
  const only = args.includes('--only') ? opt('--only').split(',') : ['list', 'intake', 'case'];
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL;
  if (only.includes('intake') && databaseUrl === DEFAULT_BENCH_DB_URL) {
    throw new Error('compare-builds: intake writes cases; set DATABASE_URL to a database of your own, or leave intake out of --only');
  }
  const jwtSecret = `compare-${Math.random().toString(36).slice(2)}-secret-0123456789`;
  const servers: ServerProcess[] = [];
  for (const [label, root] of [['a', resolve(opt('--a'))], ['b', resolve(opt('--b'))]]) {
    const env = { NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', QUEUE_PREFIX: `compare-${label}-${process.pid}`, JWT_SECRET: jwtSecret, LOG_LEVEL: 'warn', WORKERS: 'api', LOGIN_RATE_LIMIT: '100000', DB_POOL_SIZE: '4' };
    servers.push(await startProductionServer(label, root, env));
  }
  const pg = new Client({ connectionString: databaseUrl });
  let differ = 0;
  let same = 0;
  try {
    await Promise.all(servers.map((s) => s.ready('/health/ready')));
    await pg.connect();
    const f = await loadFixtures(pg);
    const [a] = servers;
    const admin = await login(a.url, 'bench_admin');
    const staff0 = await login(a.url, `${f.workstations[0].code.toLowerCase()}_staff`);
    const staff1 = await login(a.url, `${f.workstations[1].code.toLowerCase()}_staff`);
    const mediatorName = (await pg.query(`SELECT username FROM users WHERE id = $1`, [f.mediatorId])).rows[0].username as string;
    const mediator = await login(a.url, mediatorName);
    const ws0 = f.workstations[0].id;
    const ws1 = f.workstations[1].id;
    const otherCase = (await pg.query(`SELECT id FROM cases WHERE workstation_id = $1 LIMIT 1`, [ws1])).rows[0].id as string;
    const probes: Probe[] = [];
    const list = (name: string, query: string, token = admin) => probes.push({ name: `list ${name}`, method: 'GET', path: `/api/v1/cases${query}`, token });
    if (only.includes('list')) {
      list('work queue', '?status=assigned,in_mediation', staff0);
      list('overdue', '?overdue=true', staff0);
      list('plain staff', '', staff1);
      list('plain admin', '');
      list('ws status page 5', `?workstationId=${ws1}&status=confirmed&page=5`);
      list('type+period', `?disputeType=wage_arrears&receivedFrom=2025-01-01&receivedTo=2026-12-31`);
      list('mediator page 2', `?mediatorId=${f.mediatorId}&page=2`);
      list('as mediator', '', mediator);
      list('mediator status', '?status=in_mediation,assigned', mediator);
      list('case number', `?q=${encodeURIComponent(f.searchCaseNumber)}`);
      list('case number staff', `?q=${encodeURIComponent(f.searchCaseNumber)}`, staff0);
      list('case number prefix', `?q=${encodeURIComponent(f.searchCaseNumber.slice(0, 10))}`);
      list('short term', `?q=${encodeURIComponent('张')}`);
      list('short term staff', `?q=${encodeURIComponent('伟')}`, staff0);
      list('long term', `?q=${encodeURIComponent('宏达电子')}`);
      list('nothing', `?q=${encodeURIComponent('不存在的名字')}`);
      list('empty page', `?workstationId=${ws1}&page=400`);
      list('empty page counters', `?status=voided&page=3`, staff0);
      list('other ws as staff', `?workstationId=${ws1}`, staff0);
      list('single status', `?status=registered&pageSize=5`, staff1);
      list('page size 100', `?pageSize=100&disputeType=overtime`);
      list('received from', `?receivedFrom=2026-11-01`);
      list('overdue false', `?overdue=false&status=in_mediation`);
      list('beyond window', `?page=600`);
      list('search beyond window', `?q=${encodeURIComponent('张')}&page=30`);
      list('bad status', `?status=nope`);
      list('bad uuid', `?workstationId=not-a-uuid`);
      list('bad page', `?page=0`);
      list('unknown param', `?foo=1`);
      list('bad date', `?receivedFrom=2026-13-01`);
      probes.push({ name: 'list no token', method: 'GET', path: '/api/v1/cases' });
      probes.push({ name: 'list bad token', method: 'GET', path: '/api/v1/cases', token: 'x.y.z' });
    }
    if (only.includes('case')) {
      probes.push({ name: 'case', method: 'GET', path: `/api/v1/cases/${f.caseIds[0]}`, token: admin });
      probes.push({ name: 'case of another workstation', method: 'GET', path: `/api/v1/cases/${otherCase}`, token: staff0 });
      probes.push({ name: 'case 404', method: 'GET', path: `/api/v1/cases/00000000-0000-4000-8000-000000000000`, token: admin });
    }
    if (only.includes('intake')) {
      const body = {
        workstationId: ws0,
        source: 'walk_in',
        disputeType: 'wage_arrears',
        summary: '申请人主张被申请人拖欠3个月工资，要求支付工资及经济补偿',
        claimAmount: '12000.50',
        applicant: { name: '张三', idNumber: '440104199001011234', phone: '13800000000' },
        respondent: { name: '广州市宏达电子科技有限公司', creditCode: '91440101MA5ABCDE0X', phone: '020-12345678' },
      };
      const intake = (name: string, b: unknown, token = staff0) => probes.push({ name: `intake ${name}`, method: 'POST', path: '/api/v1/cases', token, body: b, volatile: true });
      intake('ok', body);
      intake('ok admin', body, admin);
      intake('other workstation', { ...body, workstationId: ws1 });
      intake('number amount', { ...body, claimAmount: 12000 });
      intake('missing applicant', { ...body, applicant: undefined });
      intake('bad source', { ...body, source: 'x' });
      intake('unknown field', { ...body, extra: 1 });
      intake('bad id number', { ...body, applicant: { ...body.applicant, idNumber: '123' } });
      intake('no workstation', { ...body, workstationId: '00000000-0000-4000-8000-000000000000' }, admin);
      intake('court assigned', { ...body, source: 'court_assigned', courtCaseNumber: '(2026)粤0106民初1234号', mediationDeadline: '2026-12-31' }, admin);
      intake('collective', { ...body, workerCount: 5, representatives: [{ name: '李四', phone: '13900000000' }] });
      probes.push({ name: 'intake no token', method: 'POST', path: '/api/v1/cases', body, volatile: true });
      // Idempotency-Key: first answers, replays, another body, a malformed key, a failure giving its key up.
      const keyed = (name: string, key: string, b: unknown, token = staff0) => probes.push({ name: `intake keyed ${name}`, method: 'POST', path: '/api/v1/cases', token, body: b, volatile: true, idempotencyKey: key });
      const summary = `${body.summary} (${process.pid})`;
      keyed('first', 'k1', { ...body, summary });
      keyed('replay', 'k1', { ...body, summary });
      keyed('replay reordered', 'k1', Object.fromEntries(Object.entries({ ...body, summary }).reverse()));
      keyed('another body', 'k1', { ...body, summary, claimAmount: '1.00' });
      keyed('malformed key', 'x'.repeat(256), body);
      keyed('malformed key and body', 'x'.repeat(256), { ...body, claimAmount: 1 });
      keyed('failing', 'k2', { ...body, claimAmount: 1 });
      keyed('failing again', 'k2', { ...body, claimAmount: 1 });
      keyed('other workstation', 'k3', { ...body, workstationId: ws1 });
      keyed('after failures', 'k2', { ...body, summary });
      keyed('admin first', 'k4', { ...body, summary }, admin);
      keyed('admin replay', 'k4', { ...body, summary }, admin);
      probes.push({ name: 'intake keyed no token', method: 'POST', path: '/api/v1/cases', body, volatile: true, idempotencyKey: 'k5' });
    }
    if (only.includes('stats')) {
      // The load scenarios' requests (bench/lib/scenarios.ts) and others around them. Each twice: a
      // period's first answer reads its coverage first, the next ones with the guessed figures.
      const today = shanghaiDate(new Date());
      const fiveYears = `from=${addDays(today, -5 * 365)}&to=${today}`;
      const stats = (name: string, path: string, token = admin) => {
        for (const again of ['', ' (again)']) probes.push({ name: `stats ${name}${again}`, method: 'GET', path: `/api/v1/stats/${path}`, token });
      };
      stats('summary admin', `summary?${fiveYears}`);
      stats('summary staff', `summary?${fiveYears}`, staff0);
      stats('summary admin one workstation', `summary?${fiveYears}&workstationId=${f.workstations[3 % f.workstations.length].id}`);
      stats('summary mediator', `summary?${fiveYears}`, mediator);
      stats('summary default period', 'summary', staff1);
      stats('summary one month', `summary?from=2024-02-01&to=2024-02-29`);
      stats('timeseries admin', `timeseries?interval=month&${fiveYears}`);
      stats('timeseries staff', `timeseries?interval=month&${fiveYears}`, staff1);
      stats('timeseries mediator', `timeseries?interval=month&${fiveYears}`, mediator);
      stats('timeseries one workstation', `timeseries?interval=month&${fiveYears}&workstationId=${ws1}`);
      stats('timeseries part months', `timeseries?from=2023-03-15&to=2024-07-10`);
      stats('timeseries default period', 'timeseries');
      stats('breakdown by type', `breakdown?by=disputeType&${fiveYears}`);
      stats('breakdown by workstation', `breakdown?by=workstation&${fiveYears}`);
      stats('breakdown by mediator staff', `breakdown?by=mediator&${fiveYears}`, staff0);
      stats('timeseries other workstation as staff', `timeseries?${fiveYears}&workstationId=${ws1}`, staff0);
      stats('timeseries unknown workstation', `timeseries?${fiveYears}&workstationId=00000000-0000-4000-8000-000000000000`);
      stats('summary from after to', 'summary?from=2026-02-01&to=2026-01-01');
      stats('timeseries too long', 'timeseries?from=2010-01-01&to=2026-01-01');
      stats('timeseries bad date', 'timeseries?from=2026-02-30&to=2026-03-01');
    }
    for (const p of probes) {
      const [ra, rb] = [await ask(servers[0].url, p, 'a'), await ask(servers[1].url, p, 'b')];
      if (ra === rb) {
        same++;
        console.log(`same   ${p.name}: ${ra.split('\n')[0].split(' ')[0]} ${ra.length} bytes`);
      } else {
        differ++;
        console.log(`DIFFER ${p.name}\n  a: ${ra.slice(0, 600)}\n  b: ${rb.slice(0, 600)}`);
      }
    }
  } finally {
    await pg.end().catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop()));
  }
  console.log(`${same} same, ${differ} differ`);
  process.exit(differ ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
