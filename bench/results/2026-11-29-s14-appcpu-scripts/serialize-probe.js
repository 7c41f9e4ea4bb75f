// The timeseries answer's writing alone: fast-json-stringify + Buffer.from (as the app writes it
// through utf8Answers) against json-bytes' writer. CPU µs and V8 heap bytes per answer.
// node --expose-gc serialize-probe.js <build root> [n]
const root = require('path').resolve(process.argv[2] || '.');
const n = Number(process.argv[3] || 5000);
const fjs = require('fast-json-stringify');
const { STATS_TIMESERIES_SCHEMA } = require(root + '/dist/src/stats/dto/stats-answer.schema');
const { answerPoint } = require(root + '/dist/src/stats/stats-figures');
const { monthsOf } = require(root + '/dist/src/stats/stats-periods');
const { repeatedAnswerSerializer } = require(root + '/dist/src/common/repeated-answers');
const period = { from: '2021-11-30', to: '2026-11-29' };
let seed = 1; const rnd = (m) => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
const points = monthsOf(period).map((m) => {
  const concluded = 12000 + rnd(5000), agreements = Math.floor(concluded * 0.67);
  return answerPoint(m, { received: 16000 + rnd(2000), concluded, agreements, failed: rnd(4000), withdrawn: rnd(1500), confirmed: rnd(9000), courtConcluded: rnd(300), confirmable: agreements - rnd(300), avgDaysToConclude: (200 + rnd(300)) / 10, amountAgreed: `${rnd(900000000)}.${String(rnd(100)).padStart(2, '0')}` }, rnd(50));
});
const answer = { interval: 'month', ...period, workstationId: null, mediatorId: null, points };
const viaFjs = fjs(STATS_TIMESERIES_SCHEMA);
const ways = {
  'fjs+Buffer.from': (a) => Buffer.from(viaFjs(a), 'utf8'),
  'fjs string': (a) => viaFjs(a),
  'JSON.stringify+Buffer.from': (a) => Buffer.from(JSON.stringify(a), 'utf8'),
  // A repeated answer: an equal answer (new objects, same values) each time, as a dashboard asks again.
  'repeated (hit)': ((f) => (a) => f({ ...a, points: a.points.map((p) => ({ ...p })) }))(repeatedAnswerSerializer(STATS_TIMESERIES_SCHEMA)),
  // A changed answer every time (the last month's count differs): compared with the kept ones, then written anew.
  'repeated (miss)': ((f) => { let n = 0; return (a) => f({ ...a, points: a.points.map((p, i) => (i === a.points.length - 1 ? { ...p, received: n++ } : { ...p })) }); })(repeatedAnswerSerializer(STATS_TIMESERIES_SCHEMA)),
  'copy of answer only': (a) => ({ ...a, points: a.points.map((p) => ({ ...p })) }),
};
const ref = Buffer.from(JSON.stringify(answer));
for (const [k, f] of Object.entries(ways)) { const out = f(answer); if (k.startsWith('copy') || k.includes('miss')) continue; if (!Buffer.from(out).equals(ref)) throw new Error(k + ' differs'); }
console.log('answer bytes', ref.length, 'same bytes: yes');
const res = {};
for (let round = 0; round < 7; round++) {
  for (const [k, f] of Object.entries(ways)) {
    for (let i = 0; i < 200; i++) f(answer);
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) f(answer);
    const c = process.cpuUsage(c0);
    global.gc(); const h0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20; i++) f(answer);
    const bytes = (process.memoryUsage().heapUsed - h0) / 20;
    (res[k] ??= { us: [], kb: [] }).us.push((c.user + c.system) / n); res[k].kb.push(bytes / 1024);
  }
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(18), 'µs', med(v.us).toFixed(1), ' KB heap', med(v.kb).toFixed(1));
