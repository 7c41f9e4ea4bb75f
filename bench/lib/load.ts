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
