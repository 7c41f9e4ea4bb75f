import { JobName } from './queue-names';

/**
 * Processors register the jobs they handle here; `assertEveryJobHasAHandler` runs at start in a
 * process that runs workers and refuses to start when a job of the enum has no handler.
 */
const handled = new Set<JobName>();

export function registerJobHandler(...jobs: JobName[]): void {
  for (const job of jobs) handled.add(job);
}

export function missingJobHandlers(): JobName[] {
  return Object.values(JobName).filter((job) => !handled.has(job));
}

export function assertEveryJobHasAHandler(): void {
  const missing = missingJobHandlers();
  if (missing.length) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
}
