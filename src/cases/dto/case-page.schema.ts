/**
 * The case list's answer (CasePage) as a JSON schema for Fastify's response serializer
 * (fast-json-stringify): the page of 20 cases is written in about half the CPU of JSON.stringify
 * (issue 17). The output must stay byte for byte what JSON.stringify writes: every property in the
 * order toCaseView writes it, nullable where it may be null, numbers as `number` (never rounded as
 * `integer` would), and the JSON columns (agents, representatives) and the court outcome as `{}`,
 * which fast-json-stringify hands to JSON.stringify. case-page.schema.spec.ts holds it to that.
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
