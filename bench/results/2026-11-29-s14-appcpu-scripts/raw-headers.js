// Raw response heads (status line and header lines, in order, names as written) of two builds,
// compared byte for byte but for Date, X-Request-Id's value and Content-Length of the volatile
// bodies. Read-only requests only. Run from a build root (uses its dist/bench/lib):
//   BENCH_PORTS=41400-41599 node raw-headers.js /tmp/base-appcpu /work/wt-appcpu
const net = require('node:net');
const path = require('node:path');
const { startProductionServer } = require(path.resolve('dist/bench/lib/processes'));
const { login } = require(path.resolve('dist/bench/lib/scenarios'));
function raw(url, target, token) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname, () => s.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}Connection: close\r\n\r\n`));
    const chunks = [];
    s.on('data', (c) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('latin1'))).on('error', reject);
  });
}
const head = (r) => r.split('\r\n\r\n')[0].replace(/\r\nDate: [^\r]*/i, '\r\nDate: <d>').replace(/\r\nX-Request-Id: [^\r]*/i, '\r\nX-Request-Id: <id>');
(async () => {
  const secret = `raw-${Math.random().toString(36).slice(2)}-secret-0123456789`;
  const servers = [];
  for (const [label, root] of [['a', process.argv[2]], ['b', process.argv[3]]]) {
    servers.push(await startProductionServer(label, path.resolve(root), { NODE_ENV: 'production', DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mediation_bench', REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: `raw-${label}-${process.pid}`, JWT_SECRET: secret, LOG_LEVEL: 'warn', WORKERS: 'api', LOGIN_RATE_LIMIT: '100000', DB_POOL_SIZE: '4' }));
  }
  let differ = 0;
  try {
    await Promise.all(servers.map((s) => s.ready('/health/ready')));
    const token = await login(servers[0].url, 'bench_admin');
    const targets = [['/api/v1/stats/timeseries?from=2021-11-30&to=2026-11-29', token], ['/api/v1/stats/timeseries?from=2021-11-30&to=2026-11-29', token], ['/api/v1/stats/summary?from=2026-01-01&to=2026-11-29', token], ['/api/v1/cases?limit=20', token], ['/api/v1/cases?limit=20'], ['/api/v1/cases//x', token], ['/api/v1/nope', token], ['/health'], ['/'], ['/cases'], ['/api/v1/cases/%E0%A4%A', token], ['/api/v1/stats/timeseries?from=bad', token]];
    for (const [t, tok] of targets) {
      const [a, b] = await Promise.all(servers.map((s) => raw(s.url, t, tok)));
      const same = head(a) === head(b);
      if (!same) differ++;
      console.log(same ? "same  " : "DIFFER", t, tok ? "(token)" : "", JSON.stringify(a.slice(0, 60)), a.length, same ? '' : `\n--- a\n${head(a)}\n--- b\n${head(b)}`);
    }
    console.log(differ ? `${differ} differ` : 'all heads byte for byte the same');
  } finally {
    for (const s of servers) await s.stop();
  }
})();
