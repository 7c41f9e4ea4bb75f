import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TransactionQuery } from '../common/pg-reads';

/** How long a key and its first answer are kept. */
export const IDEMPOTENCY_KEEP_HOURS = 24;
/** A claim not completed within this time is taken to be abandoned (the process died). */
export const IDEMPOTENCY_LEASE_SECONDS = 120;

export interface IdempotencyRow {
  request_hash: string;
  state: 'in_progress' | 'completed';
  status_code: number | null;
  response_body: string | null;
  applied_case_id: string | null;
  lease_expired: boolean;
  expired: boolean;
}

/** The SQL of `idempotency_keys`, one named method per statement. Times are the database's. */
/** In the case change's own transaction: the request under this key changed this case (see markIdempotentChange). */
export async function recordAppliedCase(em: TransactionQuery, userId: string, key: string, caseId: string): Promise<void> {
  await em.query(`UPDATE idempotency_keys SET applied_case_id = $3 WHERE user_id = $1 AND key = $2 AND applied_case_id IS NULL`, [userId, key, caseId]);
}

/**
 * recordAppliedCase as the CTE `applied` of a statement that inserts the case in its CTE
 * `caseCte` (intake's one statement): parameters `$first` the user's id and `$first + 1` the key,
 * both null when the request holds no key (then no row matches).
 */
export function appliedCaseCte(caseCte: string, first: number): string {
  return `applied AS (
    UPDATE idempotency_keys k SET applied_case_id = c.id FROM ${caseCte} c
     WHERE k.user_id = $${first}::uuid AND k.key = $${first + 1}::varchar AND k.applied_case_id IS NULL)`;
}

@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Claims the key for this request; false when a row for it exists (the primary key settles races). */
  async claim(userId: string, key: string, requestHash: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, lease_until, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), now() + make_interval(hours => $5))
       ON CONFLICT (user_id, key) DO NOTHING RETURNING 1 AS claimed`,
      [userId, key, requestHash, IDEMPOTENCY_LEASE_SECONDS, IDEMPOTENCY_KEEP_HOURS],
    );
    return rows.length === 1;
  }

  async find(userId: string, key: string): Promise<IdempotencyRow | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT request_hash, state, status_code, response_body, applied_case_id, lease_until < now() AS lease_expired, expires_at < now() AS expired
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    return row;
  }

  /** Takes over a claim whose holder died before changing anything; false when another took it or it moved on. */
  async takeOverAbandoned(userId: string, key: string): Promise<boolean> {
    // UPDATE and DELETE answer [rows, affected count] (TypeORM's postgres driver).
    const [, affected] = await this.dataSource.query(
      `UPDATE idempotency_keys SET lease_until = now() + make_interval(secs => $3)
        WHERE user_id = $1 AND key = $2 AND state = 'in_progress' AND applied_case_id IS NULL AND lease_until < now()
        RETURNING 1 AS taken`,
      [userId, key, IDEMPOTENCY_LEASE_SECONDS],
    );
    return Number(affected) === 1;
  }

  async complete(userId: string, key: string, statusCode: number, body: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE idempotency_keys SET state = 'completed', status_code = $3, response_body = $4 WHERE user_id = $1 AND key = $2`, [userId, key, statusCode, body]);
  }

  /** The request failed without changing anything: forget the key, so that a retry runs again. */
  async release(userId: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND state = 'in_progress' AND applied_case_id IS NULL`, [userId, key]);
  }

  async deleteExpired(userId?: string, key?: string): Promise<number> {
    const [, affected] =
      userId === undefined
        ? await this.dataSource.query(`DELETE FROM idempotency_keys WHERE expires_at < now()`)
        : await this.dataSource.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND expires_at < now()`, [userId, key]);
    return Number(affected ?? 0);
  }
}
