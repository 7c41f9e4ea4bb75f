/**
 * A case's sessions, agreement (with installments), confirmation and attachments (every version, oldest first,
 * with the uploader's name) as JSON; amounts as text, never JSON numbers.
 */
export const CASE_RECORDS_SQL = `
  SELECT
    (SELECT coalesce(json_agg(json_build_object('id', s.id, 'caseId', s.case_id, 'scheduledAt', s.scheduled_at, 'mode', s.mode, 'location', s.location,
              'status', s.status, 'notes', s.notes, 'createdAt', s.created_at, 'updatedAt', s.updated_at) ORDER BY s.scheduled_at, s.id), '[]'::json)
       FROM case_sessions s WHERE s.case_id = $1) AS sessions,
    (SELECT json_build_object('id', a.id, 'caseId', a.case_id, 'terms', a.terms, 'agreedAmount', a.agreed_amount::text, 'signedAt', a.signed_at,
              'effectiveAt', a.effective_at, 'signatories', a.signatories, 'inBreach', a.in_breach, 'breachedAt', a.breached_at, 'createdAt', a.created_at,
              'installments', (SELECT coalesce(json_agg(json_build_object('agreementId', i.agreement_id, 'seq', i.seq, 'dueDate', i.due_date::text,
                                 'amount', i.amount::text, 'paidAt', i.paid_at) ORDER BY i.seq), '[]'::json)
                                 FROM installments i WHERE i.agreement_id = a.id))
       FROM agreements a WHERE a.case_id = $1 AND a.superseded_at IS NULL) AS agreement,
    (SELECT json_build_object('id', f.id, 'caseId', f.case_id, 'workstationId', f.workstation_id, 'status', f.status, 'appliedAt', f.applied_at,
              'ruledAt', f.ruled_at, 'rulingNumber', f.ruling_number, 'reason', f.reason, 'court', f.court, 'applicants', f.applicants,
              'acceptanceDueAt', f.acceptance_due_at, 'acceptedAt', f.accepted_at, 'acceptanceNumber', f.acceptance_number, 'declinedAt', f.declined_at,
              'rulingDueAt', f.ruling_due_at, 'rulingExtendedAt', f.ruling_extended_at, 'rulingExtensionReason', f.ruling_extension_reason)
       FROM confirmations f WHERE f.case_id = $1 AND f.superseded_at IS NULL) AS confirmation,
    (SELECT coalesce(json_agg(json_build_object('id', t.id, 'kind', t.kind, 'fileName', t.file_name, 'contentType', t.content_type, 'sizeBytes', t.size_bytes,
              'supersedesId', t.supersedes_id, 'supersededById', (SELECT n.id FROM attachments n WHERE n.supersedes_id = t.id),
              'uploadedBy', t.uploaded_by, 'uploadedByName', u.display_name, 'uploadedAt', t.uploaded_at) ORDER BY t.uploaded_at, t.id), '[]'::json)
       FROM attachments t LEFT JOIN users u ON u.id = t.uploaded_by WHERE t.case_id = $1) AS attachments`;
