/**
 * Every queue and job of the product, named in one place, with one typed payload per job.
 * Job ids are deterministic (a reminder group's job id is written on its rows, a webhook delivery's
 * is the delivery's id), so that adding the same job twice is a no-op in BullMQ.
 */
export enum QueueName {
  Reminders = 'reminders',
  Maintenance = 'maintenance',
  Stats = 'stats',
  Webhooks = 'webhooks',
}

export enum JobName {
  /** Deliver the reminders of one group (rows whose job_id is the job's id) as notifications. */
  DeliverReminders = 'deliver-reminders',
  /** Deliver one reminder: the job of a reminder enqueued before groups existed (job id = reminder id). */
  DeliverReminder = 'deliver-reminder',
  /** Re-enqueue outbox rows that are not on the queue yet (job scheduler, every minute). */
  SweepOutbox = 'sweep-outbox',
  /** Recompute the daily statistics snapshots for a period. */
  RecomputeStats = 'recompute-stats',
  /** Daily job scheduler: snapshot yesterday (and repair the last days). */
  DailyStatsSnapshot = 'daily-stats-snapshot',
  /** POST one webhook delivery (outbox row) to its receiver; job id = delivery id. */
  DeliverWebhook = 'deliver-webhook',
}

export interface JobPayloads {
  /** retryIds: on a retry, only the reminders that failed the last attempt. */
  [JobName.DeliverReminders]: { groupId: string; retryIds?: string[] };
  [JobName.DeliverReminder]: { reminderId: string };
  [JobName.SweepOutbox]: Record<string, never>;
  [JobName.RecomputeStats]: { from: string; to: string; workstationId?: string | null };
  [JobName.DailyStatsSnapshot]: Record<string, never>;
  [JobName.DeliverWebhook]: { deliveryId: string };
}

/** Which queue carries which job. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.DeliverReminders]: QueueName.Reminders,
  [JobName.DeliverReminder]: QueueName.Reminders,
  [JobName.SweepOutbox]: QueueName.Maintenance,
  [JobName.RecomputeStats]: QueueName.Stats,
  [JobName.DailyStatsSnapshot]: QueueName.Stats,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
};

/** Attempts and backoff for every job; completed jobs are removed, failed ones kept for the board. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: true,
  removeOnFail: { count: 10000 },
} as const;
