import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { createValidationPipe, VALIDATION_OPTIONS } from '../../common/validation';
import { ListCasesQuery } from './list-cases.query';

const WS = '0b9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e';
const metadata = { type: 'query' as const, metatype: ListCasesQuery, data: undefined };
/** The full validation alone, as every query was validated before the quick path. */
const full = new ValidationPipe(VALIDATION_OPTIONS);
const outcome = (run: () => Promise<unknown>) =>
  run().then(
    (value) => ({ value }),
    (e: unknown) => ({ error: e instanceof BadRequestException ? e.getResponse() : e }),
  );

describe('ListCasesQuery.accept (the validation pipe quick path)', () => {
  const valid: Array<Record<string, string>> = [
    {},
    { status: 'assigned,in_mediation' },
    { status: 'registered' },
    { overdue: 'true' },
    { overdue: 'false', pageSize: '100' },
    { workstationId: WS, status: 'confirmed', page: '5' },
    { disputeType: 'wage_arrears', receivedFrom: '2026-10-01', receivedTo: '2026-11-28' },
    { receivedFrom: '2026-11-24T09:30:00+08:00' },
    { mediatorId: WS, page: '2' },
    { q: 'WS01-2026-000042' },
    { q: '张' },
    { page: '100000', pageSize: '1' },
  ];

  it.each(valid)('gives what the full validation gives for %j', async (input) => {
    const quick = ListCasesQuery.accept({ ...input });
    expect(quick).toBeInstanceOf(ListCasesQuery);
    const reference = await full.transform({ ...input }, metadata);
    expect(quick).toEqual(reference);
    expect(Object.keys(quick!)).toEqual(Object.keys(reference as object));
  });

  const left: Array<Record<string, unknown>> = [
    { unknown: '1' },
    { toString: 'x' },
    { status: ['assigned', 'registered'] },
    { status: '' },
    { status: 'assigned,nonsense' },
    { workstationId: 'not-a-uuid' },
    { disputeType: 'other_thing' },
    { overdue: 'yes' },
    { q: '' },
    { q: 'x'.repeat(101) },
    { receivedFrom: '2026-13-01' },
    { receivedFrom: '2026-11-24 09:30' },
    { page: '0' },
    { page: '01' },
    { page: '100001' },
    { pageSize: '101' },
    { pageSize: '1.5' },
  ];

  it.each(left)('leaves %j to the full validation, which answers as before', async (input) => {
    expect(ListCasesQuery.accept({ ...input })).toBeUndefined();
    const before = await outcome(() => full.transform({ ...input }, metadata));
    const now = await outcome(() => createValidationPipe().transform({ ...input }, metadata));
    expect(now).toEqual(before);
  });

  it('is only taken for the class that declares it', async () => {
    class Derived extends ListCasesQuery {}
    const pipe = createValidationPipe();
    await expect(pipe.transform({ page: '2' }, { ...metadata, metatype: Derived })).resolves.toBeInstanceOf(Derived);
  });
});
