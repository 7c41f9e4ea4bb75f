import type { MemoryCheckpoint } from './processes';
import type { GenerateResult } from '../generate';
import type { QueryPlan } from './explain';
import type { LoadResult } from './load';
import type { BenchOptions } from './options';
import type { ReminderBurstResult } from './reminders';

/** The shape of a bench run's results (bench/results/*.json). */
export interface Target {
  what: string;
  limit: string;
  value: number | null;
  unit: string;
  pass: boolean;
}

export interface ScenarioResult {
  name: string;
  description: string;
  floor: { saturated: LoadResult[]; fixed: LoadResult[] };
  app: { saturated: LoadResult[]; fixed: LoadResult[] };
  fixedRate: number;
  appPeakRssMb: number;
  /** Medians over the runs. */
  summary: {
    floorRps: number;
    appRps: number;
    ratio: number;
    appP50: number;
    appP99: number;
    floorP50: number;
    floorP99: number;
    appFixedP50: number;
    appFixedP99: number;
    appFixedRps: number;
    floorFixedP50: number;
    floorFixedP99: number;
    /** Each server's own CPU per request at 50 connections (µs) and its share of one core then (median over the runs). */
    appCpuUsPerRequest: number;
    floorCpuUsPerRequest: number;
    appCoreShare: number;
    floorCoreShare: number;
    non2xx: number;
    errors: number;
  };
}

export interface BenchReport {
  startedAt: string;
  mode: 'smoke' | 'full';
  machine: { cpus: number; memoryGb: number; node: string; postgres: string; loadAverageBefore: number[]; loadAverageAfter?: number[] };
  options: Omit<BenchOptions, 'databaseUrl'> & { database: string };
  data: { cases: number; events: number; generated?: GenerateResult; snapshotDays?: number; snapshotsComputed?: number; snapshotSeconds?: number };
  scenarios: ScenarioResult[];
  reminders?: ReminderBurstResult;
  memory: {
    appVmHwmMb: number;
    afterStartMb?: number;
    afterSnapshotsMb?: number;
    beforeDocumentsMb?: number;
    /** RSS, peak and V8 heap after each step (start, snapshots, each scenario and measure, documents, page): where memory rises. */
    checkpoints?: MemoryCheckpoint[];
  };
  targets: Target[];
  plans: QueryPlan[];
  /** What the app logged at warn level or above (distinct messages, with how often). */
  appLog: Array<{ message: string; count: number }>;
  /** The floor answers the read requests with the same figures as the app (else it would not be a floor of the same work). */
  parity: Parity[];
  /** The figures of bench/lib/measures.ts, by measure name. */
  measures: Record<string, unknown>;
}

export interface Parity {
  path: string;
  app: string;
  floor: string;
  same: boolean;
}

