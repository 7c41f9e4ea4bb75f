import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { createValidationPipe, VALIDATION_OPTIONS } from '../../common/validation';
import { BreakdownQuery, StatsPeriodQuery, TimeseriesQuery } from './stats.query';

const WS = '0b9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e';
const metadataOf = (metatype: unknown) => ({ type: 'query' as const, metatype: metatype as never, data: undefined });
/** The full validation alone, as every query was validated before the quick path. */
const full = new ValidationPipe(VALIDATION_OPTIONS);
const outcome = (run: () => Promise<unknown>) =>
  run().then(
    (value) => ({ value }),
    (e: unknown) => ({ error: e instanceof BadRequestException ? e.getResponse() : e }),
  );

describe.each([
  ['StatsPeriodQuery', StatsPeriodQuery],
  ['TimeseriesQuery', TimeseriesQuery],
] as const)('%s.accept (the validation pipe quick path)', (_name, Query) => {
  const metadata = metadataOf(Query);
  const valid: Array<Record<string, string>> = [
    {},
    { from: '2021-11-30', to: '2026-11-29' },
    { to: '2026-02-28' },
    { from: '2024-02-29', workstationId: WS },
    { workstationId: WS, to: '2026-11-29', from: '2026-01-01' },
    ...(Query === TimeseriesQuery ? [{ from: '2021-11-30', to: '2026-11-29', interval: 'month' }, { interval: 'month' }] : []),
  ];

  it.each(valid)('gives what the full validation gives for %j', async (input) => {
    const quick = Query.accept({ ...input });
    expect(quick).toBeInstanceOf(Query);
    const reference = await full.transform({ ...input }, metadata);
    expect(quick).toEqual(reference);
    expect(Object.keys(quick!)).toEqual(Object.keys(reference as object));
  });

  const left: Array<Record<string, unknown>> = [
    { unknown: '1' },
    { toString: 'x' },
    { from: ['2026-01-01', '2026-02-01'] },
    { from: '' },
    { from: '2026-02-30' },
    { to: '2026-1-5' },
    { to: '2026-11-29T00:00:00+08:00' },
    { workstationId: 'not-a-uuid' },
    Query === StatsPeriodQuery ? { interval: 'month' } : { interval: 'week' },
    { interval: '' },
  ];

  it.each(left)('leaves %j to the full validation, which answers as before', async (input) => {
    expect(Query.accept({ ...input })).toBeUndefined();
    const before = await outcome(() => full.transform({ ...input }, metadata));
    const now = await outcome(() => createValidationPipe().transform({ ...input }, metadata));
    expect(now).toEqual(before);
  });
});

it('is only taken for the class that declares it (a breakdown is validated in full)', async () => {
  const pipe = createValidationPipe();
  await expect(pipe.transform({ from: '2026-01-01' }, metadataOf(BreakdownQuery))).rejects.toBeInstanceOf(BadRequestException);
  await expect(pipe.transform({ from: '2026-01-01', by: 'mediator' }, metadataOf(BreakdownQuery))).resolves.toBeInstanceOf(BreakdownQuery);
});
