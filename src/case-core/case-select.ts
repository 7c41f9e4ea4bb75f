import { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { Case } from './case.entity';

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

/**
 * Intake's one statement: numbers the case from its workstation's counter for the year (e.g.
 * WS01-2026-000042) and inserts it. Parameters: $1 workstation id, $2 year, then the values of
 * `columns` (every column but the number) in order. No row comes back when the workstation does
 * not exist.
 */
export const numberedCaseInsert = perDataSource((dataSource): { sql: string; columns: ColumnMetadata[]; params: (entity: Case, year: number) => unknown[] } => {
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
  const sql = `WITH counter AS (
         INSERT INTO case_number_counters (workstation_id, year, last_value)
         SELECT id, $2, 1 FROM workstations WHERE id = $1
         ON CONFLICT (workstation_id, year) DO UPDATE SET last_value = case_number_counters.last_value + 1
         RETURNING last_value)
       INSERT INTO cases (case_number, ${columns.map((c) => c.databaseName).join(', ')})
       SELECT w.code || '-' || $2::text || '-' || lpad(counter.last_value::text, 6, '0'), ${columns.map((_, i) => `$${i + 3}`).join(', ')}
         FROM counter, workstations w WHERE w.id = $1
       RETURNING case_number`;
  return { sql, columns, params };
});
