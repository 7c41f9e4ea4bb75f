import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { ENTITIES } from '../database/entities';
import { CASE_LIST_COLUMNS, CASE_LIST_SELECT, caseListRowOf, CaseListValues, numberedCaseInsert } from './case-select';
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

describe('numberedCaseInsert', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = new DataSource({ type: 'postgres', entities: ENTITIES });
    // The entities' metadata without a connection (what initialize builds first).
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  });

  const row = (over: Partial<Case> = {}): Case => ({
    id: '7d4f0a4e-4f7e-4c39-9f43-0d3f2f8f8e11',
    caseNumber: '',
    workstationId: '686fad93-f907-404b-b8b3-21632f97ccf5',
    source: 'walk_in',
    courtCaseNumber: null,
    simpleProcedure: false,
    disputeType: 'wage_arrears',
    status: 'registered',
    summary: '拖欠三个月工资',
    claimAmount: '12500.00',
    workerCount: 1,
    applicantName: '张三',
    applicantIdNumber: '440104199001011234',
    applicantPhone: '13800000000',
    respondentName: '某公司',
    respondentCreditCode: '91440101MA5ABCDE0X',
    respondentPhone: null,
    applicantKind: 'worker',
    applicantCreditCode: null,
    applicantAddress: null,
    applicantAgent: null,
    respondentIdNumber: null,
    respondentAddress: null,
    respondentAgent: null,
    representatives: null,
    handOff: null,
    courtOutcome: null,
    courtDocumentNumber: null,
    courtOutcomeDate: null,
    voidedAt: null,
    voidReason: null,
    confirmationWaivedAt: null,
    mediatorId: null,
    receivedAt: new Date('2026-11-29T01:02:03.456Z'),
    deadlineAt: new Date('2026-12-14T15:59:59.999Z'),
    extensionDays: 0,
    overdue: false,
    concludedAt: null,
    outcomeReason: null,
    createdBy: '5a38ca90-2e8f-4286-a18e-b9a8c7fdc8f9',
    version: 1,
    createdAt: new Date('2026-11-29T01:02:03.456Z'),
    updatedAt: new Date('2026-11-29T01:02:03.456Z'),
    ...over,
  });

  /** The parameters as they were built before: TypeORM's getEntityValue of each column, jsonb as JSON text. */
  const throughTypeorm = (entity: Case, year: number) => {
    const { columns } = numberedCaseInsert(dataSource);
    return [
      entity.workstationId,
      year,
      ...columns.map((c) => {
        const v: unknown = c.getEntityValue(entity);
        return c.type === 'jsonb' && v !== null && v !== undefined ? JSON.stringify(v) : v;
      }),
    ];
  };

  it('gives the parameters TypeORM gave, for a plain case and one with agents, representatives and a court number', () => {
    const { ctes, columns, params } = numberedCaseInsert(dataSource);
    const agents = {
      applicantAgent: { name: '李律师', phone: '13900000000', relation: '委托代理人（律师）' },
      respondentAgent: { name: '王经理', phone: null, relation: null },
      representatives: [
        { name: '王五', phone: '13700000000' },
        { name: '赵六', phone: null },
      ],
      courtCaseNumber: '(2026)鄂0102民初1234号',
      source: 'court_entrusted' as const,
      simpleProcedure: true,
      workerCount: 5,
    };
    for (const entity of [row(), row(agents)]) {
      const got = params(entity, 2026);
      expect(got).toEqual(throughTypeorm(entity, 2026));
      expect(got).toHaveLength(columns.length + 2);
      expect(ctes).toContain(`$${columns.length + 2}\n`);
    }
    expect(params(row(agents), 2026)).toContain(JSON.stringify(agents.representatives));
    expect(params(row(), 2026)).not.toContain(undefined);
  });
});
