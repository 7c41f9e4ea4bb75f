import { DataSource } from 'typeorm';
import { Case } from './entities/case.entity';

const selectLists = new WeakMap<DataSource, string>();

/**
 * The columns of `cases` (aliased `c`) named as the entity's properties, e.g.
 * `c.case_number AS "caseNumber"`: a raw SELECT with them returns rows shaped as Case objects
 * (pg already gives Dates, numbers and numeric-as-string), without the query builder and the
 * ORM's hydration, which cost more CPU than the query itself on the busiest reads.
 */
export function caseSelectList(dataSource: DataSource): string {
  let list = selectLists.get(dataSource);
  if (!list) {
    list = dataSource
      .getMetadata(Case)
      .columns.map((c) => `c.${c.databaseName} AS "${c.propertyName}"`)
      .join(', ');
    selectLists.set(dataSource, list);
  }
  return list;
}
