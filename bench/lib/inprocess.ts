/**
 * What the in-process benches (bench/list-inprocess.ts, bench/case-inprocess.ts) share: their
 * command line, and the alternating rounds that time each build's own CPU per call.
 */
import { resolve } from 'node:path';
import { median } from './load';

export interface InProcessArgs {
  /** `--build label=root`, in order: the first is the one the others are divided by. */
  builds: Array<{ label: string; root: string }>;
  rounds: number;
  requests: number;
  concurrency: number;
  /** A numeric option of the bench's own (e.g. `--check`). */
  option: (name: string, fallback: number) => number;
  /** A flag of the bench's own (e.g. `--floor`). */
  flag: (name: string) => boolean;
}

export function inProcessArgs(argv: string[], defaults: { requests: number }): InProcessArgs {
  const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const builds = argv.flatMap((a, i) => (argv[i - 1] === '--build' ? [a.split('=')] : [])).map(([label, root]) => ({ label, root: resolve(root) }));
  if (!builds.length) throw new Error('give at least one --build label=root');
  return {
    builds,
    rounds: option('--rounds', 9),
    requests: option('--requests', defaults.requests),
    concurrency: option('--concurrency', 4),
    option,
    flag: (name) => argv.includes(name),
  };
}

/**
 * Builds take turns, round after round (the order reversed every other round): each makes a tenth
 * of `requests` calls as a warm-up, then `requests` calls timed by the process's CPU usage,
 * `concurrency` at a time. `call(build, i)` makes the i-th call of a round: every build gets the
 * same i's in a round. Prints each round, then each build's median CPU µs per call and, per
 * round, each build's ÷ the first's.
 */
export async function alternatingCpuRounds<B extends { label: string }>(
  builds: B[],
  o: Pick<InProcessArgs, 'rounds' | 'requests' | 'concurrency'>,
  what: string,
  call: (build: B, i: number) => Promise<unknown>,
): Promise<void> {
  const warmup = Math.ceil(o.requests / 10);
  const run = async (b: B, from: number, n: number) => {
    let next = from;
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        while (next < from + n) await call(b, next++);
      }),
    );
  };
  const cpuUs: Record<string, number[]> = Object.fromEntries(builds.map((b) => [b.label, []]));
  for (let r = 0; r < o.rounds; r++) {
    const base = r * (warmup + o.requests);
    for (const b of r % 2 ? [...builds].reverse() : builds) {
      await run(b, base, warmup);
      const start = process.cpuUsage();
      await run(b, base + warmup, o.requests);
      const used = process.cpuUsage(start);
      cpuUs[b.label].push((used.user + used.system) / o.requests);
    }
    console.log(`round ${r + 1}: ${builds.map((b) => `${b.label} ${cpuUs[b.label][r].toFixed(0)} µs`).join(' | ')}`);
  }
  const first = builds[0].label;
  console.log(
    `median CPU µs per ${what}: ${builds.map((b) => `${b.label} ${median(cpuUs[b.label]).toFixed(1)}`).join(' | ')}` +
      builds
        .slice(1)
        .map((b) => `; per round ${b.label} ÷ ${first}: median ${median(cpuUs[b.label].map((v, i) => v / cpuUs[first][i])).toFixed(3)}`)
        .join(''),
  );
}
