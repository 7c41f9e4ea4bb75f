import { EntityManager } from 'typeorm';

/**
 * Appends one timeline event in the caller's transaction; the table is append-only (a trigger
 * forbids UPDATE and DELETE). A plain function so that the reminder worker, which must not
 * depend on the cases module, writes events exactly as the case services do.
 */
export async function insertCaseEvent(
  em: EntityManager,
  caseId: string,
  type: string,
  actorId: string | null,
  at: Date,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<string> {
  const [row] = await em.query(`INSERT INTO case_events (case_id, type, actor_id, at, before, after) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [
    caseId,
    type,
    actorId,
    at,
    before === null ? null : JSON.stringify(before),
    after === null ? null : JSON.stringify(after),
  ]);
  return String(row.id);
}
