import { DEFAULT_BENCH_DB_URL } from '../generate';

/** The bench's command line (see the header of bench/run.ts). */
export interface BenchOptions {
  smoke: boolean;
  cases: number;
  durationSec: number;
  warmupSec: number;
  runs: number;
  connections: number;
  reminders: number;
  /** Seconds between writing the reminder burst and its falling due. */
  reminderLeadSec: number;
  databaseUrl: string;
  regenerate: boolean;
  snapshots: boolean;
  only: string[] | null;
  /** Offer the fixed rate with autocannon's overallRate (bursts every second) instead of the paced generator. */
  autocannonRate: boolean;
}

export function parseArgs(argv: string[]): BenchOptions {
  const smoke = argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
  const o: BenchOptions = {
    smoke,
    cases: smoke ? 2000 : 1_000_000,
    durationSec: smoke ? 1 : 10,
    warmupSec: smoke ? 0.5 : 3,
    runs: smoke ? 1 : 3,
    connections: 50,
    reminders: smoke ? 500 : 100_000,
    reminderLeadSec: smoke ? 5 : 60,
    databaseUrl: smoke ? dbUrlNamed(`mediation_bench_smoke_${process.pid}`) : (process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL),
    regenerate: smoke,
    snapshots: !smoke,
    only: null,
    autocannonRate: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${a} needs a non-negative number`);
      return v;
    };
    if (a === '--smoke') continue;
    else if (a === '--cases') o.cases = num();
    else if (a === '--duration') o.durationSec = num();
    else if (a === '--warmup') o.warmupSec = num();
    else if (a === '--runs') o.runs = Math.max(1, Math.round(num()));
    else if (a === '--connections') o.connections = num();
    else if (a === '--reminders') o.reminders = num();
    else if (a === '--reminder-lead') o.reminderLeadSec = num();
    else if (a === '--regenerate') o.regenerate = true;
    else if (a === '--no-snapshots') o.snapshots = false;
    else if (a === '--only') o.only = argv[++i].split(',');
    else if (a === '--autocannon-rate') o.autocannonRate = true;
    else throw new Error(`unknown argument ${a}; see the header of bench/run.ts`);
  }
  return o;
}

export function dbUrlNamed(name: string): string {
  const u = new URL(process.env.DATABASE_URL ?? DEFAULT_BENCH_DB_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

