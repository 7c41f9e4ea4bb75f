import { getMetadataArgsStorage } from 'typeorm';
import { CASE_LIST_COLUMNS, CASE_LIST_SELECT, caseListRowOf, CaseListValues } from './case-select';
import { Case } from './case.entity';

describe("the case list's columns", () => {
  it("are the entity's columns but created_by, each named as its property", () => {
    const entity = getMetadataArgsStorage()
      .columns.filter((c) => c.target === Case && c.propertyName !== 'createdBy')
      .map((c) => [c.propertyName, c.options.name ?? c.propertyName]);
    expect([...CASE_LIST_COLUMNS].map(([property, column]) => [property, column]).sort()).toEqual(entity.sort());
    expect(CASE_LIST_SELECT).toBe(CASE_LIST_COLUMNS.map(([, column]) => `c.${column}`).join(', '));
  });

  it('are read from a row of values in their order (caseListRowOf), every property from its own column', () => {
    const values = CASE_LIST_COLUMNS.map(([, column]) => `value of ${column}`);
    const row = caseListRowOf([...values, 42] as unknown as CaseListValues);
    expect(Object.keys(row)).toEqual(CASE_LIST_COLUMNS.map(([property]) => property));
    for (const [property, column] of CASE_LIST_COLUMNS) expect(row[property]).toBe(`value of ${column}`);
  });
});
