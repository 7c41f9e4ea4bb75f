import Redis from 'ioredis';
import { Client } from 'pg';
import type { RequestSpec } from './load';
import type { ServerProcess } from './processes';
import type { BenchReport, Parity } from './report-types';

/** What surrounds a run: parity of app and floor, the app's log, the machine, clean-up. */
/** What both servers must agree on for a read: the list's total and first ids, the figures. */
export async function checkParity(app: ServerProcess, floor: ServerProcess, reads: RequestSpec[]): Promise<Parity[]> {
  /* eslint-disable @typescript-eslint/no-explicit-any -- parity compares whatever JSON both servers answered */
  const essence = (path: string, body: any): string => {
    if (path.startsWith('/api/v1/cases?')) return JSON.stringify({ total: body.total, ids: body.items?.map((c: { id: string }) => c.id) });
    const figures = (f: any) => [f.received, f.concluded, f.agreements, f.failed, f.withdrawn, f.confirmed, f.amountAgreed, f.consultations];
    if (path.includes('/summary')) return JSON.stringify([...figures(body), body.overdueOpen]);
    return JSON.stringify((body.points ?? []).filter((p: any) => p.received || p.concluded || p.consultations).map((p: any) => [p.month, ...figures(p)]));
  };
  /* eslint-enable @typescript-eslint/no-explicit-any */
  const out: Parity[] = [];
  for (const spec of reads) {
    const [a, f] = await Promise.all(
      [app, floor].map(async (server) => {
        const res = await fetch(server.url + spec.path, { headers: spec.headers });
        return res.ok ? essence(spec.path, await res.json()) : `HTTP ${res.status}`;
      }),
    );
    out.push({ path: spec.path, app: a, floor: f, same: a === f && !a.startsWith('HTTP') });
  }
  return out;
}

/** The app logs JSON lines (pino); errors repeat under load, so they are counted by message. */
export function distinctLogLines(output: string): Array<{ message: string; count: number }> {
  const counts = new Map<string, number>();
  for (const line of output.split('\n').filter(Boolean)) {
    let message = line;
    try {
      const entry = JSON.parse(line);
      message = [entry.msg, entry.err?.message ?? entry.error?.message].filter(Boolean).join(': ') || line;
    } catch {
      // not JSON
    }
    message = message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').slice(0, 300);
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count).slice(0, 30);
}

export async function machineInfo(pg: Client): Promise<BenchReport['machine']> {
  const os = await import('node:os');
  const { rows } = await pg.query(`SELECT version()`);
  return {
    cpus: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: String(rows[0].version).split(' on ')[0],
    loadAverageBefore: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
}

