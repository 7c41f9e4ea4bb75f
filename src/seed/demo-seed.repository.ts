import { DataSource } from 'typeorm';
import { Role } from '../accounts-core/role.enum';

/** The demo seed's own SQL: the people and places the stories need, and the tidying after the replay. */
export class DemoSeedRepository {
  constructor(private readonly db: DataSource) {}

  async workstationExists(code: string): Promise<boolean> {
    const [{ n }]: Array<{ n: number }> = await this.db.query(`SELECT count(*)::int AS n FROM workstations WHERE code = $1`, [code]);
    return n > 0;
  }

  async insertWorkstation(ws: { code: string; name: string; court: string; union: string; region: string }): Promise<string> {
    const [row]: Array<{ id: string }> = await this.db.query(`INSERT INTO workstations (code, name, court, union_name, region) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
      ws.code,
      ws.name,
      ws.court,
      ws.union,
      ws.region,
    ]);
    return row.id;
  }

  async insertUser(u: { username: string; passwordHash: string; displayName: string; role: Role; workstationId: string | null; phone: string }): Promise<string> {
    const [row]: Array<{ id: string }> = await this.db.query(
      `INSERT INTO users (username, password_hash, display_name, role, workstation_id, phone) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [u.username, u.passwordHash, u.displayName, u.role, u.workstationId, u.phone],
    );
    return row.id;
  }

  /** The past is past: reminders that would have fired before today are not sent now. */
  async cancelPastReminders(): Promise<void> {
    await this.db.query(`UPDATE reminders SET status = 'cancelled', cancelled_at = now() WHERE status = 'pending' AND fire_at < now()`);
  }

  /** Open cases whose deadline has passed are overdue, as the overdue job would have flagged them; returns how many. */
  async flagOverdue(): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `WITH flagged AS (
         UPDATE cases SET overdue = true, version = version + 1, updated_at = now()
          WHERE status IN ('registered', 'assigned', 'in_mediation') AND deadline_at < now() AND NOT overdue RETURNING id
       ) INSERT INTO case_events (case_id, type, actor_id, at, before, after)
         SELECT id, 'flagged_overdue', NULL, now(), '{"overdue": false}', '{"overdue": true}' FROM flagged RETURNING case_id`,
    );
    return rows.length;
  }

  statusCounts(): Promise<Array<{ status: string; n: number }>> {
    return this.db.query(`SELECT status, count(*)::int AS n FROM cases GROUP BY status ORDER BY status`);
  }

  async consultationCount(): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await this.db.query(`SELECT count(*)::int AS n FROM consultations`);
    return n;
  }
}
