import Fastify from 'fastify';
import { STATS_SUMMARY_SCHEMA, STATS_TIMESERIES_SCHEMA } from '../stats/dto/stats-answer.schema';
import { jsonBytesAnswers, jsonBytesWriter } from './json-bytes';

// Fastify's own serializer of a response schema, which the writer must match byte for byte.
const fastJson = require('fast-json-stringify') as (schema: unknown) => (value: unknown) => string;

const point = (month: string, overrides: Record<string, unknown> = {}) => ({
  month,
  from: `${month}-01`,
  to: `${month}-28`,
  received: 16_702,
  concluded: 0,
  agreements: 10_456,
  failed: 4_001,
  withdrawn: 1_300,
  confirmed: 8_000,
  courtConcluded: 9,
  confirmable: 9_999_999_999,
  avgDaysToConclude: 25.3,
  amountAgreed: '123456789.05',
  successRate: 0.6721,
  confirmationRate: null,
  consultations: 120,
  ...overrides,
});

const series = (points: unknown[], overrides: Record<string, unknown> = {}) => ({
  interval: 'month',
  from: '2021-11-30',
  to: '2026-11-29',
  workstationId: null,
  mediatorId: 'a3b9c0de-1111-4222-8333-444455556666',
  points,
  ...overrides,
});

describe('jsonBytesWriter', () => {
  const write = jsonBytesWriter(STATS_TIMESERIES_SCHEMA);
  const schemaJson = fastJson(STATS_TIMESERIES_SCHEMA);

  it('writes the bytes fast-json-stringify and JSON.stringify write, nulls, zeros, fractions and large integers included', () => {
    const answers = [
      series([point('2026-01'), point('2026-02', { avgDaysToConclude: null, successRate: 1, confirmationRate: 0.0001, received: 0, amountAgreed: '0.00' })]),
      series([], { workstationId: 'b1b2c3d4-0000-4000-8000-000000000001', mediatorId: null }),
      series([point('2026-03', { received: Number.MAX_SAFE_INTEGER, avgDaysToConclude: 1e21, successRate: 0.5, failed: -3, withdrawn: 2.5e-7 })]),
      series(Array.from({ length: 60 }, (_, i) => point(`20${22 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, { received: i * 37, concluded: i }))),
    ];
    for (const answer of answers) {
      const bytes = write(answer);
      expect(bytes).not.toBeNull();
      expect(bytes!.toString('latin1')).toBe(schemaJson(answer));
      expect(bytes!.toString('utf8')).toBe(JSON.stringify(answer));
    }
  });

  it('gives up (null) on what it does not write as JSON would: escapes, non-ASCII, long strings, wrong types, missing properties', () => {
    expect(write(series([point('2026-01', { amountAgreed: 'a"b' })]))).toBeNull();
    expect(write(series([point('2026-01', { amountAgreed: 'a\\b' })]))).toBeNull();
    expect(write(series([point('2026-01', { month: '二〇二六年' })]))).toBeNull();
    expect(write(series([point('2026-01', { month: 'x\n' })]))).toBeNull();
    expect(write(series([point('2026-01', { amountAgreed: '9'.repeat(65) })]))).toBeNull();
    expect(write(series([point('2026-01', { received: '12' })]))).toBeNull();
    expect(write(series([point('2026-01', { received: Number.NaN })]))).toBeNull();
    expect(write(series([point('2026-01', { received: null })]))).toBeNull();
    expect(write(series([point('2026-01', { received: undefined })]))).toBeNull();
    expect(write(series([null]))).toBeNull();
    expect(write(series([], { points: 'none' }))).toBeNull();
    expect(write(null)).toBeNull();
  });

  it('refuses a schema outside what it writes', () => {
    expect(() => jsonBytesWriter({ type: 'array' })).toThrow();
    expect(() => jsonBytesWriter({ type: 'object', properties: { nested: { type: 'object', properties: {} } } })).toThrow();
    expect(() => jsonBytesWriter({ type: 'object', properties: { 'a"b': { type: 'string' } } })).toThrow();
    expect(() => jsonBytesWriter({ type: 'object', properties: {} })).toThrow();
    const nestedArrays = { type: 'object', properties: { rows: { type: 'array', items: { type: 'object', properties: { cells: { type: 'array', items: { type: 'object', properties: { n: { type: 'number' } } } } } } } } };
    expect(() => jsonBytesWriter(nestedArrays)).toThrow();
    expect(() => jsonBytesWriter(STATS_SUMMARY_SCHEMA)).not.toThrow();
  });
});

describe('jsonBytesAnswers', () => {
  it('answers a route of the schema with the same bytes and headers as its schema serializer, and falls back to JSON for what the writer refuses', async () => {
    const answers: Record<string, unknown> = {
      plain: series([point('2026-01'), point('2026-02')]),
      chinese: series([point('2026-01', { amountAgreed: '一百元' })]),
    };
    const build = (withBytes: boolean) => {
      const app = Fastify();
      if (withBytes) jsonBytesAnswers(app, [STATS_TIMESERIES_SCHEMA]);
      app.get('/series/:which', { schema: { response: { 200: STATS_TIMESERIES_SCHEMA } } }, async (req) => answers[(req.params as { which: string }).which]);
      app.get('/other', { schema: { response: { 200: STATS_SUMMARY_SCHEMA } } }, async () => ({ from: 'x', to: 'y', workstationId: null, mediatorId: null, received: 1 }));
      return app;
    };
    const withBytes = build(true);
    const plain = build(false);
    // Over HTTP (Fastify's inject needs an ES module that jest does not load here).
    const [bytesUrl, plainUrl] = await Promise.all([withBytes.listen({ port: 0, host: '127.0.0.1' }), plain.listen({ port: 0, host: '127.0.0.1' })]);
    const get = async (base: string, path: string) => {
      const res = await fetch(base + path);
      return { status: res.status, type: res.headers.get('content-type'), length: res.headers.get('content-length'), body: Buffer.from(await res.arrayBuffer()) };
    };
    try {
      for (const path of ['/series/plain', '/series/chinese', '/other']) {
        const [a, b] = await Promise.all([get(bytesUrl, path), get(plainUrl, path)]);
        expect(a.status).toBe(200);
        expect(a.body.equals(b.body)).toBe(true);
        expect(a.type).toBe(b.type);
        expect(a.length).toBe(b.length);
      }
      expect(JSON.parse((await get(bytesUrl, '/series/chinese')).body.toString('utf8')).points[0].amountAgreed).toBe('一百元');
    } finally {
      await Promise.all([withBytes.close(), plain.close()]);
    }
  });
});
