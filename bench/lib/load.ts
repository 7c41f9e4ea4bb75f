import autocannon from 'autocannon';

/** One request of a scenario; `next()` is called for every request sent, so that paths, bodies and users rotate. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** Completed requests per second (mean over the run). */
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  total: number;
  /** Responses that were not 2xx, and socket errors or timeouts. */
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** The server process's own CPU (user + system, from /proc) over the run: µs per answered request, and its share of one core. */
  serverCpu?: { usPerRequest: number; coreShare: number };
}

export interface LoadOptions {
  url: string;
  next: () => RequestSpec;
  connections: number;
  durationSec: number;
  /** Requests per second offered by all connections together (autocannon's overallRate); none: as fast as answered. */
  overallRate?: number;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const first = o.next();
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationSec,
    overallRate: o.overallRate,
    timeout: 30,
    requests: [
      {
        method: first.method,
        path: first.path,
        setupRequest: (req) => {
          const spec = o.next();
          return { ...req, method: spec.method, path: spec.path, headers: { ...spec.headers, ...(spec.body ? { 'content-type': 'application/json' } : {}) }, body: spec.body };
        },
      },
    ],
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  return {
    rps: Math.round(result.requests.total / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: Math.round(result.latency.mean * 100) / 100,
    max: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * An open-loop load at a steady rate: request i is due at start + i / rate and is sent then (on
 * up to `maxConnections` keep-alive sockets), whatever the earlier ones are doing, and its
 * latency is counted from when it was due, so that a server that falls behind is charged for
 * the wait (no coordinated omission). autocannon's overallRate is not that: each connection
 * gets a quota per second that it spends back-to-back as the second starts, so the offered load
 * is a burst every second, and its correction for omitted requests takes 1/rate as milliseconds.
 */
export async function runPaced(o: { url: string; next: () => RequestSpec; rate: number; durationSec: number; maxConnections: number }): Promise<LoadResult> {
  const { Agent, request } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxConnections });
  const target = new URL(o.url);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let non2xx = 0;
  const total = Math.max(1, Math.round(o.rate * o.durationSec));
  const start = performance.now() + 20;
  const inFlight = new Set<Promise<void>>();

  const send = (due: number) => {
    const spec = o.next();
    const p = new Promise<void>((resolve) => {
      const body = spec.body ? Buffer.from(spec.body) : undefined;
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: spec.method,
          path: spec.path,
          headers: { ...spec.headers, ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}) },
          timeout: 30_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const code = String(res.statusCode);
            statusCodes[code] = (statusCodes[code] ?? 0) + 1;
            if (res.statusCode! >= 200 && res.statusCode! < 300) latencies.push(performance.now() - due);
            else non2xx++;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  };

  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / o.rate <= now) send(start + (sent++ * 1000) / o.rate);
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, start + (sent * 1000) / o.rate - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  await Promise.all([...inFlight]);
  agent.destroy();

  const sorted = latencies.sort((a, b) => a - b);
  const pct = (q: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 100) / 100 : NaN);
  const elapsed = Math.max(o.durationSec, (performance.now() - start) / 1000);
  return {
    rps: Math.round(sorted.length / elapsed),
    p50: pct(0.5),
    p99: pct(0.99),
    mean: sorted.length ? Math.round((sorted.reduce((a, b) => a + b, 0) / sorted.length) * 100) / 100 : NaN,
    max: sorted.length ? Math.round(sorted[sorted.length - 1] * 100) / 100 : NaN,
    total: sorted.length,
    non2xx,
    errors,
    statusCodes,
  };
}
