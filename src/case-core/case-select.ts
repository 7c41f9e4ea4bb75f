import { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { Case } from './case.entity';
import type { CaseListRow } from './case-view';

/** Built once per data source from the entity's metadata: the SQL text never changes. */
function perDataSource<T>(build: (dataSource: DataSource) => T): (dataSource: DataSource) => T {
  const built = new WeakMap<DataSource, T>();
  return (dataSource) => {
    let value = built.get(dataSource);
    if (value === undefined) built.set(dataSource, (value = build(dataSource)));
    return value;
  };
}

/**
 * The columns of `cases` (aliased `c`) named as the entity's properties, e.g.
 * `c.case_number AS "caseNumber"`: a raw SELECT with them returns rows shaped as Case objects
 * (pg already gives Dates, numbers and numeric-as-string), without the query builder and the
 * ORM's hydration, which cost more CPU than the query itself on the busiest reads.
 */
export const caseSelectList = perDataSource((dataSource) =>
  dataSource
    .getMetadata(Case)
    .columns.map((c) => `c.${c.databaseName} AS "${c.propertyName}"`)
    .join(', '),
);

/** The columns of the case that the CTE `intake_case` of numberedCaseInsert returns: the number, and what its timeline event's webhook body shows. */
export const INTAKE_CASE_COLUMNS = 'id, case_number, workstation_id, source, court_case_number, status, mediator_id';

/**
 * The first CTEs of intake's one statement (src/cases/intake-statement.ts): `counter` numbers the
 * case from its workstation's counter for the year (e.g. WS01-2026-000042), `intake_case` inserts
 * it and returns INTAKE_CASE_COLUMNS. Parameters: $1 workstation id, $2 year, then the values of
 * `columns` (every column but the number) in order. No row comes back when the workstation does
 * not exist.
 */
export const numberedCaseInsert = perDataSource((dataSource): { ctes: string; columns: ColumnMetadata[]; params: (entity: Case, year: number) => unknown[] } => {
  const columns = dataSource.getMetadata(Case).columns.filter((c) => c.propertyName !== 'caseNumber');
  // Each column's value as ColumnMetadata.getEntityValue gives it, read straight off the entity
  // (a column of an embedded, a relation or a reference would go through TypeORM; Case has none).
  // jsonb values go as JSON text (node-postgres would send a JS array as a Postgres array).
  const reads = columns.map((c) => ({
    column: c,
    property: c.propertyName as keyof Case,
    plain: !c.embeddedMetadata && !c.relationMetadata && !c.referencedColumn,
    json: c.type === 'jsonb',
  }));
  /** The statement's parameters: the workstation, the year, then the columns' values. */
  const params = (entity: Case, year: number): unknown[] => {
    const out = new Array<unknown>(reads.length + 2);
    out[0] = entity.workstationId;
    out[1] = year;
    for (let i = 0; i < reads.length; i++) {
      const r = reads[i];
      const v: unknown = r.plain ? entity[r.property] : r.column.getEntityValue(entity);
      out[i + 2] = r.json && v !== null && v !== undefined ? JSON.stringify(v) : v;
    }
    return out;
  };
  const counter = `counter AS (
         INSERT INTO case_number_counters (workstation_id, year, last_value)
         SELECT id, $2, 1 FROM workstations WHERE id = $1
         ON CONFLICT (workstation_id, year) DO UPDATE SET last_value = case_number_counters.last_value + 1
         RETURNING last_value)`;
  const insert = `INSERT INTO cases (case_number, ${columns.map((c) => c.databaseName).join(', ')})
       SELECT w.code || '-' || $2::text || '-' || lpad(counter.last_value::text, 6, '0'), ${columns.map((_, i) => `$${i + 3}`).join(', ')}
         FROM counter, workstations w WHERE w.id = $1`;
  const ctes = `${counter},
       intake_case AS (
       ${insert}
       RETURNING ${INTAKE_CASE_COLUMNS})`;
  return { ctes, columns, params };
});

/**
 * The case list's columns (GET /cases), in the order of its rows' values: every column of the
 * entity that toCaseView shows (all but `created_by`). The list reads its rows as arrays (PgReads
 * `arrays`) and makes each a case row with caseListRowOf; the floor (bench/lib/app-sql.ts)
 * selects the same columns. case-select.spec.ts holds them to the entity's.
 */
export const CASE_LIST_COLUMNS = [
  ['id', 'id'],
  ['caseNumber', 'case_number'],
  ['workstationId', 'workstation_id'],
  ['source', 'source'],
  ['courtCaseNumber', 'court_case_number'],
  ['simpleProcedure', 'simple_procedure'],
  ['disputeType', 'dispute_type'],
  ['status', 'status'],
  ['summary', 'summary'],
  ['claimAmount', 'claim_amount'],
  ['workerCount', 'worker_count'],
  ['applicantName', 'applicant_name'],
  ['applicantIdNumber', 'applicant_id_number'],
  ['applicantPhone', 'applicant_phone'],
  ['respondentName', 'respondent_name'],
  ['respondentCreditCode', 'respondent_credit_code'],
  ['respondentPhone', 'respondent_phone'],
  ['applicantKind', 'applicant_kind'],
  ['applicantCreditCode', 'applicant_credit_code'],
  ['applicantAddress', 'applicant_address'],
  ['applicantAgent', 'applicant_agent'],
  ['respondentIdNumber', 'respondent_id_number'],
  ['respondentAddress', 'respondent_address'],
  ['respondentAgent', 'respondent_agent'],
  ['representatives', 'representatives'],
  ['handOff', 'hand_off'],
  ['courtOutcome', 'court_outcome'],
  ['courtDocumentNumber', 'court_document_number'],
  ['courtOutcomeDate', 'court_outcome_date'],
  ['voidedAt', 'voided_at'],
  ['voidReason', 'void_reason'],
  ['confirmationWaivedAt', 'confirmation_waived_at'],
  ['mediatorId', 'mediator_id'],
  ['receivedAt', 'received_at'],
  ['deadlineAt', 'deadline_at'],
  ['extensionDays', 'extension_days'],
  ['overdue', 'overdue'],
  ['concludedAt', 'concluded_at'],
  ['outcomeReason', 'outcome_reason'],
  ['version', 'version'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
] as const satisfies ReadonlyArray<readonly [keyof CaseListRow, string]>;

/** CASE_LIST_COLUMNS as a SELECT list over `cases c` (named as the columns: the rows are read as arrays). */
export const CASE_LIST_SELECT = CASE_LIST_COLUMNS.map(([, column]) => `c.${column}`).join(', ');

/** The list's ORDER BY over its page `p` of CASE_LIST_SELECT's columns: newest received first. */
export const CASE_LIST_ORDER = 'p.received_at DESC, p.id DESC';

type ListProperty = (typeof CASE_LIST_COLUMNS)[number][0];
/** Where each property's value is in a list row (CASE_LIST_COLUMNS' order). */
const AT = Object.fromEntries(CASE_LIST_COLUMNS.map(([property], i) => [property, i])) as Record<ListProperty, number>;

/**
 * The values of a row of CASE_LIST_SELECT as pg parsed them. Typed `never` so that each one takes
 * the type of the property it becomes, as an object row takes the type its reader gives it.
 */
export type CaseListValues = { readonly [index: number]: never };

/** A list row (CASE_LIST_SELECT's values, read as an array) as the case row toCaseView shows: one object of one shape. */
export function caseListRowOf(v: CaseListValues): CaseListRow {
  return {
    id: v[AT.id],
    caseNumber: v[AT.caseNumber],
    workstationId: v[AT.workstationId],
    source: v[AT.source],
    courtCaseNumber: v[AT.courtCaseNumber],
    simpleProcedure: v[AT.simpleProcedure],
    disputeType: v[AT.disputeType],
    status: v[AT.status],
    summary: v[AT.summary],
    claimAmount: v[AT.claimAmount],
    workerCount: v[AT.workerCount],
    applicantName: v[AT.applicantName],
    applicantIdNumber: v[AT.applicantIdNumber],
    applicantPhone: v[AT.applicantPhone],
    respondentName: v[AT.respondentName],
    respondentCreditCode: v[AT.respondentCreditCode],
    respondentPhone: v[AT.respondentPhone],
    applicantKind: v[AT.applicantKind],
    applicantCreditCode: v[AT.applicantCreditCode],
    applicantAddress: v[AT.applicantAddress],
    applicantAgent: v[AT.applicantAgent],
    respondentIdNumber: v[AT.respondentIdNumber],
    respondentAddress: v[AT.respondentAddress],
    respondentAgent: v[AT.respondentAgent],
    representatives: v[AT.representatives],
    handOff: v[AT.handOff],
    courtOutcome: v[AT.courtOutcome],
    courtDocumentNumber: v[AT.courtDocumentNumber],
    courtOutcomeDate: v[AT.courtOutcomeDate],
    voidedAt: v[AT.voidedAt],
    voidReason: v[AT.voidReason],
    confirmationWaivedAt: v[AT.confirmationWaivedAt],
    mediatorId: v[AT.mediatorId],
    receivedAt: v[AT.receivedAt],
    deadlineAt: v[AT.deadlineAt],
    extensionDays: v[AT.extensionDays],
    overdue: v[AT.overdue],
    concludedAt: v[AT.concludedAt],
    outcomeReason: v[AT.outcomeReason],
    version: v[AT.version],
    createdAt: v[AT.createdAt],
    updatedAt: v[AT.updatedAt],
  };
}
