/**
 * The case list's answer (CasePage) as a JSON schema: the shape JSON.stringify writes, every
 * property in the order toCaseView writes it, nullable where it may be null, numbers as `number`
 * (never rounded as `integer` would), and the JSON columns (agents, representatives) and the court
 * outcome as `{}`. case-page.schema.spec.ts holds fast-json-stringify's output of it to JSON.stringify's.
 *
 * No longer the list route's response schema (issue 17): since the list's instants come as the ISO
 * strings they are written as (no Dates to format), JSON.stringify writes a page in less CPU than
 * fast-json-stringify does from this schema (in process, 6 real pages: per round 0.83-0.93 of its
 * CPU), and the answer is the same bytes. Kept for that check and for bench/list-inprocess.ts.
 */
const text = { type: 'string' } as const;
const textOrNull = { type: ['string', 'null'] } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const instantOrNull = { type: ['string', 'null'], format: 'date-time' } as const;
const number = { type: 'number' } as const;
const boolean = { type: 'boolean' } as const;
const asJson = {} as const;

const party = {
  type: 'object',
  properties: { kind: text, name: text, idNumber: textOrNull, creditCode: textOrNull, phone: textOrNull, address: textOrNull, agent: asJson },
} as const;

export const CASE_VIEW_SCHEMA = {
  type: 'object',
  properties: {
    id: text,
    caseNumber: text,
    workstationId: text,
    source: text,
    disputeType: text,
    status: text,
    summary: text,
    claimAmount: text,
    workerCount: number,
    courtCaseNumber: textOrNull,
    simpleProcedure: boolean,
    applicant: party,
    respondent: party,
    representatives: asJson,
    mediatorId: textOrNull,
    receivedAt: instant,
    deadlineAt: instant,
    deadlineDate: text,
    extensionDays: number,
    overdue: boolean,
    concludedAt: instantOrNull,
    outcomeReason: textOrNull,
    handOff: textOrNull,
    courtOutcome: asJson,
    voided: boolean,
    voidedAt: instantOrNull,
    voidReason: textOrNull,
    confirmationWaivedAt: instantOrNull,
    version: number,
    createdAt: instant,
    updatedAt: instant,
  },
} as const;

export const CASE_PAGE_SCHEMA = {
  type: 'object',
  properties: { items: { type: 'array', items: CASE_VIEW_SCHEMA }, total: number, totalCapped: boolean, page: number, pageSize: number },
} as const;
