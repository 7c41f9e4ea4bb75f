import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { createValidationPipe, VALIDATION_OPTIONS } from '../../common/validation';
import { ApplicantDto, CreateCaseDto, RespondentDto } from './create-case.dto';

const WS = '0b9a3c52-6a3f-4a8e-9d1e-3f6a1c2b4d5e';
const metadata = { type: 'body' as const, metatype: CreateCaseDto, data: undefined };
/** The full validation alone, as every intake was validated before the quick path. */
const full = new ValidationPipe(VALIDATION_OPTIONS);
const outcome = (run: () => Promise<unknown>) =>
  run().then(
    (value) => ({ value }),
    (e: unknown) => ({ error: e instanceof BadRequestException ? e.getResponse() : e }),
  );
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The bench's intake body. */
const usual = {
  workstationId: WS,
  source: 'walk_in',
  disputeType: 'wage_arrears',
  summary: '申请人主张被申请人拖欠3个月工资，要求支付工资及经济补偿',
  claimAmount: '10000.50',
  applicant: { name: '张三', idNumber: '440104199001011234', phone: '13800000000' },
  respondent: { name: '广州市宏达电子科技有限公司', creditCode: '91440101MA5ABCDE0X', phone: '020-12345678' },
};

describe('CreateCaseDto.accept (the validation pipe quick path)', () => {
  const valid: Array<Record<string, unknown>> = [
    usual,
    {
      respondent: usual.respondent,
      applicant: usual.applicant,
      claimAmount: '0',
      summary: usual.summary,
      disputeType: 'other',
      source: 'hotline',
      workstationId: WS,
    },
    { ...usual, summary: '  拖欠工资 \n', applicant: { ...usual.applicant, name: ' 张三 ', address: ' 武汉市江岸区某某路1号 ' } },
    {
      ...usual,
      applicant: { kind: 'employer', name: '某公司', creditCode: '91440101MA5ABCDE0X' },
      respondent: { kind: 'worker', name: '李四', idNumber: 'A1234567' },
    },
    { ...usual, source: 'court_entrusted', courtCaseNumber: ' (2026)鄂0102民初1234号 ', simpleProcedure: true, mediationDeadline: '2026-12-01' },
    { ...usual, source: 'court_assigned', simpleProcedure: false, mediationDeadline: '2026-12-01T17:00:00+08:00' },
    { ...usual, workerCount: 1, receivedAt: '2026-11-24T09:30:00+08:00' },
    { ...usual, workerCount: 100000, receivedAt: '2026-11-24T01:30:00.123Z' },
    { ...usual, summary: '😀'.repeat(5000) },
    { ...usual, claimAmount: '999999999999.99' },
  ];

  it.each(valid)('gives what the full validation gives for %j', async (input) => {
    const quick = CreateCaseDto.accept(copy(input));
    expect(quick).toBeInstanceOf(CreateCaseDto);
    expect(quick!.applicant).toBeInstanceOf(ApplicantDto);
    expect(quick!.respondent).toBeInstanceOf(RespondentDto);
    const reference = (await full.transform(copy(input), metadata)) as CreateCaseDto;
    expect(quick).toEqual(reference);
    expect(Object.keys(quick!)).toEqual(Object.keys(reference));
    expect(Object.keys(quick!.applicant)).toEqual(Object.keys(reference.applicant));
    expect(Object.keys(quick!.respondent)).toEqual(Object.keys(reference.respondent));
  });

  const left: Array<unknown> = [
    null,
    [],
    'text',
    {},
    { ...usual, unknown: 1 },
    { ...usual, toString: 'x' },
    { ...usual, workstationId: 'not-a-uuid' },
    { ...usual, workstationId: undefined },
    { ...usual, source: 'email' },
    { ...usual, disputeType: 'nonsense' },
    { ...usual, summary: '   ' },
    { ...usual, summary: 'x'.repeat(5001) },
    { ...usual, summary: 42 },
    { ...usual, claimAmount: 10000.5 },
    { ...usual, claimAmount: '10000.505' },
    { ...usual, claimAmount: '-1' },
    { ...usual, claimAmount: '01' },
    { ...usual, courtCaseNumber: null },
    { ...usual, courtCaseNumber: '' },
    { ...usual, simpleProcedure: 'true' },
    { ...usual, workerCount: 0 },
    { ...usual, workerCount: 1.5 },
    { ...usual, workerCount: '3' },
    { ...usual, workerCount: 100001 },
    { ...usual, workerCount: 3, representatives: [{ name: '王五' }] },
    { ...usual, receivedAt: '2026-11-24 09:30' },
    { ...usual, receivedAt: '2026-11-24T09:30:00.000000000000000000000000000000+08:00' },
    { ...usual, mediationDeadline: '2026-12-01T17:00' },
    { ...usual, mediationDeadline: 20261201 },
    { ...usual, applicant: null },
    { ...usual, applicant: {} },
    { ...usual, applicant: [] },
    { ...usual, applicant: 'x' },
    { ...usual, applicant: { ...usual.applicant, name: ' ' } },
    { ...usual, applicant: { ...usual.applicant, name: 'x'.repeat(201) } },
    { ...usual, applicant: { ...usual.applicant, kind: 'company' } },
    { ...usual, applicant: { ...usual.applicant, idNumber: '44010419900101123X-' } },
    { ...usual, applicant: { ...usual.applicant, idNumber: null } },
    { ...usual, applicant: { ...usual.applicant, phone: '1380000' + 'x' } },
    { ...usual, applicant: { ...usual.applicant, address: '' } },
    { ...usual, applicant: { ...usual.applicant, agent: { name: '李律师' } } },
    { ...usual, applicant: { ...usual.applicant, extra: true } },
    { ...usual, respondent: { ...usual.respondent, creditCode: 'short' } },
    { ...usual, respondent: undefined },
  ];

  it.each(left)('leaves %j to the full validation, which answers as before', async (input) => {
    expect(CreateCaseDto.accept(copy(input))).toBeUndefined();
    const before = await outcome(() => full.transform(copy(input), metadata));
    const now = await outcome(() => createValidationPipe().transform(copy(input), metadata));
    expect(now).toEqual(before);
  });

  it('leaves a valid intake with representatives or an agent to the full validation, which accepts it', async () => {
    for (const input of [
      { ...usual, workerCount: 3, representatives: [{ name: '王五', phone: '13700000000' }] },
      { ...usual, applicant: { ...usual.applicant, agent: { name: '李律师', relation: '律师' } } },
    ]) {
      expect(CreateCaseDto.accept(copy(input))).toBeUndefined();
      await expect(createValidationPipe().transform(copy(input), metadata)).resolves.toEqual(await full.transform(copy(input), metadata));
    }
  });

  it('is only taken for the class that declares it', async () => {
    class Derived extends CreateCaseDto {}
    await expect(createValidationPipe().transform(copy(usual), { ...metadata, metatype: Derived })).resolves.toBeInstanceOf(Derived);
  });
});
