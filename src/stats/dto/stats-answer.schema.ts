/**
 * The summary's and the timeseries' answers as JSON schemas for Fastify's response serializer
 * (fast-json-stringify; issue 17: a five-year timeseries, 60 points of 16 figures, is written in
 * about half the CPU of JSON.stringify). The output must stay byte for byte what JSON.stringify
 * writes: every property in the order StatsService writes it, nullable where it may be null,
 * numbers as `number` (never rounded as `integer` would). stats-answer.schema.spec.ts holds it to that.
 * The timeseries is written by src/common/json-bytes.ts from the same schema, to the same bytes.
 */
const text = { type: 'string' } as const;
const textOrNull = { type: ['string', 'null'] } as const;
const number = { type: 'number' } as const;
const numberOrNull = { type: ['number', 'null'] } as const;

/** The figures of an answer, in answerFigures' order. */
const FIGURES = {
  received: number,
  concluded: number,
  agreements: number,
  failed: number,
  withdrawn: number,
  confirmed: number,
  courtConcluded: number,
  confirmable: number,
  avgDaysToConclude: numberOrNull,
  amountAgreed: text,
  successRate: numberOrNull,
  confirmationRate: numberOrNull,
  consultations: number,
} as const;

export const STATS_SUMMARY_SCHEMA = {
  type: 'object',
  properties: { from: text, to: text, workstationId: textOrNull, mediatorId: textOrNull, ...FIGURES, overdueOpen: number },
} as const;

export const STATS_POINT_SCHEMA = {
  type: 'object',
  properties: { month: text, from: text, to: text, ...FIGURES },
} as const;

export const STATS_TIMESERIES_SCHEMA = {
  type: 'object',
  properties: { interval: text, from: text, to: text, workstationId: textOrNull, mediatorId: textOrNull, points: { type: 'array', items: STATS_POINT_SCHEMA } },
} as const;
