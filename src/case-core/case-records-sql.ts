import { getMetadataArgsStorage } from 'typeorm';
import { Agreement, Installment } from './agreement.entity';
import { CASE_LIST_COLUMNS, CASE_LIST_SELECT } from './case-select';
import { Confirmation } from './confirmation.entity';
import { CaseSession } from './session.entity';

/**
 * `json_build_object('id', a.id, 'caseId', a.case_id, ...)` over every column of an entity, keys
 * named as its properties: the shape of a record read as JSON is the entity's, written once (in
 * the entity). Amounts and calendar dates go as text, never JSON numbers or instants.
 */
function jsonOf(entity: object, alias: string, extra = ''): string {
  const pairs = getMetadataArgsStorage()
    .columns.filter((c) => c.target === entity)
    .map((c) => {
      const column = `${alias}.${c.options.name ?? c.propertyName}`;
      return `'${c.propertyName}', ${c.options.type === 'numeric' || c.options.type === 'date' ? `${column}::text` : column}`;
    });
  return `json_build_object(${[...pairs, ...(extra ? [extra] : [])].join(', ')})`;
}

/**
 * A case's sessions, agreement in force (with installments), confirmation in force and attachments (every version,
 * oldest first, with the uploader's name) as JSON, in one round trip.
 */
export const CASE_RECORDS_SQL = `
  SELECT
    (SELECT coalesce(json_agg(${jsonOf(CaseSession, 's')} ORDER BY s.scheduled_at, s.id), '[]'::json)
       FROM case_sessions s WHERE s.case_id = $1) AS sessions,
    (SELECT ${jsonOf(
      Agreement,
      'a',
      `'installments', (SELECT coalesce(json_agg(${jsonOf(Installment, 'i')} ORDER BY i.seq), '[]'::json) FROM installments i WHERE i.agreement_id = a.id)`,
    )}
       FROM agreements a WHERE a.case_id = $1 AND a.superseded_at IS NULL) AS agreement,
    (SELECT ${jsonOf(Confirmation, 'f')}
       FROM confirmations f WHERE f.case_id = $1 AND f.superseded_at IS NULL) AS confirmation,
    (SELECT coalesce(json_agg(json_build_object('id', t.id, 'kind', t.kind, 'fileName', t.file_name, 'contentType', t.content_type, 'sizeBytes', t.size_bytes,
              'supersedesId', t.supersedes_id, 'supersededById', (SELECT n.id FROM attachments n WHERE n.supersedes_id = t.id),
              'uploadedBy', t.uploaded_by, 'uploadedByName', u.display_name, 'uploadedAt', t.uploaded_at) ORDER BY t.uploaded_at, t.id), '[]'::json)
       FROM attachments t LEFT JOIN users u ON u.id = t.uploaded_by WHERE t.case_id = $1) AS attachments`;

/**
 * GET /cases/:id in one statement (one round trip instead of the row's and the records'): the case
 * row (CASE_LIST_SELECT's columns: all that toCaseView, canSeeCase, revealFor and allowedActionsFor
 * read) and after them CASE_RECORDS_SQL's four. No row when there is no such case. The floor
 * (bench/floor-server.ts) sends the same.
 */
export const CASE_READ_SQL = `SELECT ${CASE_LIST_SELECT}, r.sessions, r.agreement, r.confirmation, r.attachments
  FROM cases c, (${CASE_RECORDS_SQL}) r WHERE c.id = $1`;

/** Where CASE_READ_SQL's records are in its row read as an array: after the case's columns. */
export const CASE_READ_RECORDS_AT = CASE_LIST_COLUMNS.length;
