// Nest's security-headers hook (HttpSecurityHook.handle, as app.useSecurityHeaders installs it) against
// securityHeadersHook (src/security-headers.ts), on fresh node ServerResponses: CPU ns and heap bytes per response.
// node --expose-gc security-hook-probe.mjs <build root>
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
const root = resolve(process.argv[2] ?? '.');
const require = createRequire(root + '/package.json');
const { HttpSecurityHook } = await import(require.resolve('@nestjs/core/security/http-security-hook.js'));
const { resolveSecurityHeaders } = await import(require.resolve('@nestjs/core/security/security-headers.js'));
const { SECURITY_HEADERS, securityHeadersHook } = require(root + '/dist/src/security-headers.js');
const nest = new HttpSecurityHook();
nest.setHeaders(resolveSecurityHeaders(SECURITY_HEADERS));
const ours = securityHeadersHook();
const ways = { nest: (res) => nest.handle(null, res), ours: (res) => ours(null, res), none: () => undefined };
const req = new http.IncomingMessage(new net.Socket());
const fresh = (n) => Array.from({ length: n }, () => new http.ServerResponse(req));
{ const a = fresh(1)[0], b = fresh(1)[0]; ways.nest(a); ways.ours(b); if (JSON.stringify(a.getHeaders()) !== JSON.stringify(b.getHeaders()) || JSON.stringify(a.getHeaderNames()) !== JSON.stringify(b.getHeaderNames())) throw new Error('headers differ'); console.log('same headers, same order:', a.getHeaderNames().length); }
const res = {};
for (let round = 0; round < 9; round++) for (const [k, f] of Object.entries(ways)) {
  const rs = fresh(20000);
  const c0 = process.cpuUsage();
  for (const r of rs) f(r);
  const c = process.cpuUsage(c0);
  const rs2 = fresh(200);
  global.gc(); const h0 = process.memoryUsage().heapUsed;
  for (const r of rs2) f(r);
  const bytes = (process.memoryUsage().heapUsed - h0) / 200;
  (res[k] ??= { ns: [], b: [] }).ns.push(((c.user + c.system) * 1000) / 20000); res[k].b.push(bytes);
}
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(5), 'ns/response', med(v.ns).toFixed(0), ' heap bytes/response', med(v.b).toFixed(0));
