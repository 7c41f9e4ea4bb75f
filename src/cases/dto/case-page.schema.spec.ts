import Fastify from 'fastify';
import { CaseListRow, toCaseView } from '../../case-core/case-view';
import { Case } from '../../case-core/case.entity';
import { CASE_PAGE_SCHEMA, CASE_VIEW_SCHEMA } from './case-page.schema';

const at = (iso: string) => new Date(iso);

/** Every column filled, with text that needs escaping (quotes, backslash, control characters, a lone surrogate, long text). */
const full = {
  id: '0b9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e',
  caseNumber: 'WS01-2026-000042',
  workstationId: '1c9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e',
  source: 'court_entrusted',
  courtCaseNumber: '(2026)鄂0102民初1234号',
  simpleProcedure: true,
  disputeType: 'wage_arrears',
  status: 'failed',
  summary: '拖欠三个月工资 "加班费" \\ 换行\n制表\t' + '长'.repeat(60) + ' \ud800 end',
  claimAmount: '12500.50',
  workerCount: 3,
  applicantName: '张三',
  applicantIdNumber: '420102199001011234',
  applicantPhone: '13800000000',
  respondentName: '武汉某某物流有限公司',
  respondentCreditCode: '91420100MA4K0000XX',
  respondentPhone: '027-88888888',
  applicantKind: 'worker',
  applicantCreditCode: null,
  applicantAddress: '武汉市江岸区某某路1号',
  applicantAgent: { relation: '律师', name: '李律师', phone: null, extra: [1, 'x'] },
  respondentIdNumber: null,
  respondentAddress: 'x'.repeat(6000),
  respondentAgent: { name: '王五', phone: '13700000000', relation: null },
  representatives: [
    { name: '赵六', phone: null },
    { phone: '1', name: '钱七' },
  ],
  handOff: 'returned_to_court',
  courtOutcome: 'mediation_document',
  courtDocumentNumber: '(2026)鄂0102民初88号',
  courtOutcomeDate: '2026-11-20',
  voidedAt: at('2026-11-21T02:03:04.005Z'),
  voidReason: '重复登记',
  confirmationWaivedAt: at('0999-01-01T00:00:00.000Z'),
  mediatorId: '2c9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e',
  receivedAt: at('2026-11-01T01:30:00.000Z'),
  deadlineAt: at('2026-11-15T16:00:00.000Z'),
  extensionDays: 15,
  overdue: true,
  concludedAt: at('2026-11-20T08:00:00.123Z'),
  outcomeReason: '用人单位拒绝调解',
  createdBy: null,
  version: 7,
  createdAt: at('2026-11-01T01:30:00.000Z'),
  updatedAt: at('2026-11-21T02:03:04.000Z'),
} as unknown as Case;

/** Every nullable column null (as a case just registered). */
const bare = {
  ...full,
  courtCaseNumber: null,
  simpleProcedure: false,
  applicantIdNumber: null,
  applicantPhone: null,
  respondentCreditCode: null,
  respondentPhone: null,
  applicantKind: 'employer',
  applicantAddress: null,
  applicantAgent: null,
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
  concludedAt: null,
  outcomeReason: null,
} as unknown as Case;

/** A case as the list reads it (CasesRepository.listPageAndTotal): its instants as ISO strings, no created_by. */
function listRowOf(c: Case): CaseListRow {
  const { createdBy: _createdBy, ...rest } = c;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])) as CaseListRow;
}

describe('CASE_PAGE_SCHEMA (the list answer written by fast-json-stringify)', () => {
  it('names every property of a case view, in its order', () => {
    const view = toCaseView(full);
    expect(Object.keys(CASE_VIEW_SCHEMA.properties)).toEqual(Object.keys(view));
    expect(Object.keys(CASE_VIEW_SCHEMA.properties.applicant.properties)).toEqual(Object.keys(view.applicant));
    expect(Object.keys(CASE_VIEW_SCHEMA.properties.respondent.properties)).toEqual(Object.keys(view.respondent));
  });

  it('makes Fastify answer byte for byte what JSON.stringify writes', async () => {
    const pages = [
      { items: [toCaseView(full, false), toCaseView(full, true), toCaseView(bare, false)], total: 1_000_001, totalCapped: false, page: 3, pageSize: 20 },
      { items: [], total: 501, totalCapped: true, page: 1, pageSize: 100 },
    ];
    // The list's rows carry their instants as ISO strings: the same bytes as the views of Dates.
    const listPage = { ...pages[0], items: [toCaseView(listRowOf(full), false), toCaseView(listRowOf(full), true), toCaseView(listRowOf(bare), false)] };
    const expected = [...pages, pages[0]].map((page) => JSON.stringify(page));
    pages.push(listPage);
    const app = Fastify();
    let next = 0;
    app.get('/cases', { schema: { response: { 200: CASE_PAGE_SCHEMA } } }, async () => pages[next++]);
    try {
      const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/cases`;
      for (const text of expected) {
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(text);
      }
    } finally {
      await app.close();
    }
  });
});
