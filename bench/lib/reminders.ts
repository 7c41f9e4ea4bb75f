import { Client } from 'pg';

export interface ReminderBurstResult {
  count: number;
  /** Open cases the reminders were spread over. */
  cases: number;
  /** Seconds between the commit of the rows and the moment they all fall due. */
  leadSec: number;
  /** Seconds from the commit of the rows until the dispatcher had put every one on the queue (as delayed jobs). */
  allEnqueuedSec: number | null;
  /** Seconds from the moment they fell due until the last was delivered (null: not all within the time allowed). */
  allDeliveredSec: number | null;
  /** Deliveries per second over that time. */
  ratePerSec: number | null;
  delivered: number;
  skipped: number;
  stillActive: number;
  notifications: number;
  notificationsForDistinctReminders: number;
  exactlyOnce: boolean;
}

/**
 * `count` mediation-deadline reminders, all falling due at one moment `leadSec` from now, written
 * straight into the outbox as `pending` (as if that many deadlines fell at the same minute),
 * spread over the open assigned cases. In the product reminders are written days ahead, when a
 * case changes, so by their time they wait on BullMQ as delayed jobs: the lead lets the running
 * app's dispatcher put them there first (how long that took is reported too). Then its processor
 * delivers them; we watch the rows and count the notifications: one per reminder, to the case's
 * mediator, none twice. The rows and their notifications are deleted afterwards.
 */
export async function runReminderBurst(pg: Client, count: number, leadSec: number, timeoutSec: number, log: (l: string) => void): Promise<ReminderBurstResult> {
  const { rows: eligible } = await pg.query(
    `SELECT count(*)::int AS n FROM cases
      WHERE status IN ('assigned', 'in_mediation') AND mediator_id IS NOT NULL AND NOT overdue AND deadline_at > now() + interval '1 hour'`,
  );
  const cases = eligible[0].n as number;
  if (!cases) throw new Error('reminders: no open assigned case to remind about');
  // One batch stamp marks the rows (created_at) so that they can be found and removed afterwards.
  const { rows: stamp } = await pg.query(`SELECT clock_timestamp() AS batch, clock_timestamp() + make_interval(secs => $1) AS fire_at`, [leadSec]);
  const batch: Date = stamp[0].batch;
  const fireAt: Date = stamp[0].fire_at;
  await pg.query(
    `INSERT INTO reminders (kind, case_id, fire_at, due_at, status, created_at)
     SELECT 'mediation_deadline', c.id, $4, c.deadline_at, 'pending', $2
       FROM (SELECT id, deadline_at FROM cases
              WHERE status IN ('assigned', 'in_mediation') AND mediator_id IS NOT NULL AND NOT overdue AND deadline_at > now() + interval '1 hour') c
      CROSS JOIN generate_series(1, ceil($1::numeric / $3)::int) k
      ORDER BY random()
      LIMIT $1`,
    [count, batch, cases, fireAt],
  );
  const t0 = Date.now();
  log(`  ${count} reminders over ${cases} open cases committed, due in ${leadSec} s; waiting for delivery`);

  // The watch must not load the machine it measures: counting the rows by their batch stamp is a
  // (parallel) scan of the whole table, 80 ms and two processes at 100,000 rows, four times a second.
  // Whether any is still pending or enqueued is answered from the outbox's partial indexes, which
  // hold only what is left; the rows are counted once, at the end.
  let allEnqueuedSec: number | null = null;
  for (;;) {
    const { rows } = await pg.query(
      `SELECT EXISTS (SELECT 1 FROM reminders WHERE status = 'pending' AND created_at = $1) AS pending,
              EXISTS (SELECT 1 FROM reminders WHERE status = 'enqueued' AND fire_at = $2 AND created_at = $1) AS enqueued`,
      [batch, fireAt],
    );
    const left: { pending: boolean; enqueued: boolean } = rows[0];
    if (allEnqueuedSec === null && !left.pending) allEnqueuedSec = Math.round((Date.now() - t0) / 100) / 10;
    if ((!left.pending && !left.enqueued) || Date.now() - t0 > (leadSec + timeoutSec) * 1000) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const { rows: counted } = await pg.query(
    `SELECT count(*) FILTER (WHERE status IN ('pending', 'enqueued'))::int AS active,
            count(*) FILTER (WHERE status = 'delivered')::int AS delivered, count(*) FILTER (WHERE status = 'skipped')::int AS skipped
       FROM reminders WHERE created_at = $1`,
    [batch],
  );
  const status: { active: number; delivered: number; skipped: number } = counted[0];

  // Counting is not timed: fresh statistics first, so that the join below is not planned as if the tables were empty.
  await pg.query(`ANALYZE reminders, notifications`);
  const { rows: timing } = await pg.query(`SELECT extract(epoch FROM max(delivered_at) - $2::timestamptz)::float8 AS last FROM reminders WHERE created_at = $1`, [batch, fireAt]);
  const { rows: notes } = await pg.query(
    `SELECT count(*)::int AS n, count(DISTINCT n.reminder_id)::int AS reminders, count(DISTINCT (n.reminder_id, n.user_id))::int AS pairs,
            count(*) FILTER (WHERE n.user_id <> c.mediator_id)::int AS wrong_recipient
       FROM notifications n JOIN reminders r ON r.id = n.reminder_id JOIN cases c ON c.id = r.case_id
      WHERE r.created_at = $1`,
    [batch],
  );
  const done = status.active === 0;
  const allDeliveredSec = done && timing[0].last !== null ? Math.round(timing[0].last * 10) / 10 : null;
  const result: ReminderBurstResult = {
    count,
    cases,
    leadSec,
    allEnqueuedSec,
    allDeliveredSec,
    ratePerSec: allDeliveredSec ? Math.round(status.delivered / allDeliveredSec) : null,
    delivered: status.delivered,
    skipped: status.skipped,
    stillActive: status.active,
    notifications: notes[0].n,
    notificationsForDistinctReminders: notes[0].reminders,
    exactlyOnce: status.delivered === count && notes[0].n === count && notes[0].reminders === count && notes[0].pairs === count && notes[0].wrong_recipient === 0,
  };
  log(
    `  delivered ${result.delivered}/${count} (skipped ${result.skipped}, still active ${result.stillActive}) in ${result.allDeliveredSec ?? '>' + timeoutSec} s` +
      ` (${result.ratePerSec ?? '?'}/s); notifications ${result.notifications} for ${result.notificationsForDistinctReminders} reminders`,
  );

  await pg.query(`DELETE FROM notifications WHERE reminder_id IN (SELECT id FROM reminders WHERE created_at = $1)`, [batch]);
  await pg.query(`DELETE FROM reminders WHERE created_at = $1`, [batch]);
  // As autovacuum would in time: otherwise the next run's ANALYZE sees pages of dead rows only and
  // records the tables as empty, a trap for the next burst's plans (see RemindersRepository.markEnqueued).
  await pg.query(`VACUUM ANALYZE reminders, notifications`);
  return result;
}
