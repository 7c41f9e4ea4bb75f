import Fastify from 'fastify';
import { answerFigures, answerPoint, RawFigures, ZERO_FIGURES } from '../stats-figures';
import { STATS_POINT_SCHEMA, STATS_SUMMARY_SCHEMA, STATS_TIMESERIES_SCHEMA } from './stats-answer.schema';

const busy: RawFigures = {
  received: 1_000_001,
  concluded: 976,
  agreements: 656,
  failed: 250,
  withdrawn: 70,
  confirmed: 500,
  courtConcluded: 3,
  confirmable: 601,
  avgDaysToConclude: 12.3,
  amountAgreed: '123456789012.34',
};
const odd: RawFigures = { ...busy, received: 2 ** 53 - 1, concluded: 3, agreements: 1, confirmable: 0, avgDaysToConclude: 0.1, amountAgreed: '-0.01' };

/** Answers as StatsService writes them: every nullable figure null in one, and scopes with and without a workstation or mediator. */
const summaries = [
  { from: '2021-11-29', to: '2026-11-29', workstationId: null, mediatorId: null, ...answerFigures(busy, 12345), overdueOpen: 17 },
  { from: '2026-01-01', to: '2026-01-01', workstationId: '1c9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e', mediatorId: '2c9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e', ...answerFigures(ZERO_FIGURES, 0), overdueOpen: 0 },
  { from: '2024-02-29', to: '2024-03-10', workstationId: null, mediatorId: null, ...answerFigures(odd, 1), overdueOpen: 2 ** 31 },
];
const months = [
  { month: '2023-12', from: '2023-12-15', to: '2023-12-31' },
  { month: '2024-01', from: '2024-01-01', to: '2024-01-31' },
  { month: '2024-02', from: '2024-02-01', to: '2024-02-29' },
];
const series = [
  { interval: 'month', from: '2023-12-15', to: '2024-02-29', workstationId: null, mediatorId: null, points: [answerPoint(months[0], busy, 7), answerPoint(months[1], ZERO_FIGURES, 0), answerPoint(months[2], odd, 3)] },
  { interval: 'month', from: '2026-11-30', to: '2026-11-29', workstationId: '1c9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e', mediatorId: null, points: [] },
];

describe('the statistics answers written by fast-json-stringify', () => {
  it('name every property of an answer, in its order', () => {
    expect(Object.keys(STATS_SUMMARY_SCHEMA.properties)).toEqual(Object.keys(summaries[0]));
    expect(Object.keys(STATS_POINT_SCHEMA.properties)).toEqual(Object.keys(series[0].points[0]));
    expect(Object.keys(STATS_TIMESERIES_SCHEMA.properties)).toEqual(Object.keys(series[0]));
  });

  it('answerPoint is the month followed by answerFigures', () => {
    expect(answerPoint(months[2], odd, 3)).toEqual({ ...months[2], ...answerFigures(odd, 3) });
    expect(JSON.stringify(answerPoint(months[0], busy, 7))).toBe(JSON.stringify({ ...months[0], ...answerFigures(busy, 7) }));
  });

  it('make Fastify answer byte for byte what JSON.stringify writes', async () => {
    const app = Fastify();
    let s = 0;
    let t = 0;
    app.get('/summary', { schema: { response: { 200: STATS_SUMMARY_SCHEMA } } }, async () => summaries[s++]);
    app.get('/timeseries', { schema: { response: { 200: STATS_TIMESERIES_SCHEMA } } }, async () => series[t++]);
    try {
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      for (const answer of summaries) expect(await (await fetch(`${url}/summary`)).text()).toBe(JSON.stringify(answer));
      for (const answer of series) expect(await (await fetch(`${url}/timeseries`)).text()).toBe(JSON.stringify(answer));
    } finally {
      await app.close();
    }
  });
});
