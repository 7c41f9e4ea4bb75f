import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as ts from 'typescript';
import { Role } from '../src/accounts-core/role.enum';
import { makeUser, makeWorkstationTeam, TEST_PASSWORD } from './utils/factories';
import { fetchOpenApiDocument, OpenApiDocument } from './utils/openapi';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '..');
const run = promisify(execFile);
/** The packages' own command-line entry points (their `exports` do not list them), run with this node. */
const OPENAPI_TYPESCRIPT_BIN = join(ROOT, 'node_modules/openapi-typescript/bin/cli.js');
const TSC_BIN = join(ROOT, 'node_modules/typescript/bin/tsc');

/** Type-checks the program in `dir` (tsc --noEmit); answers tsc's report, empty when it compiles. */
async function typeCheck(dir: string, program: string): Promise<string> {
  writeFileSync(join(dir, 'walk.mts'), program);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  return run(process.execPath, [TSC_BIN, '--noEmit', '-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
    () => '',
    (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}` || 'tsc failed',
  );
}

/**
 * A court system's program, written against the client generated from the live document: intake →
 * assignment → (a session held) → agreement → confirmation request → acceptance → ruling. Every
 * answer is used through its generated type, so an operation documented without a response schema
 * (typed `never`) does not compile.
 */
function walkProgram(): string {
  return `import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type CaseStatus = components['schemas']['CaseView']['status'];
interface Credentials { username: string; password: string }
interface Input { baseUrl: string; clerk: Credentials; staff: Credentials; mediator: Credentials }

/** Fails on an error answer (typed as the one error shape), else gives the typed data. */
function ok<T>(step: string, r: { data?: T; error?: components['schemas']['ErrorResponseDto']; response: Response }): T {
  if (r.error || r.data === undefined) throw new Error(step + ': ' + r.response.status + ' ' + (r.error ? r.error.message + ' / ' + r.error.messageZh : 'no body'));
  return r.data;
}

async function main(input: Input): Promise<void> {
  const client = createClient<paths>({ baseUrl: input.baseUrl });
  const signIn = async (who: Credentials) => {
    const login = ok('login', await client.POST('/api/v1/auth/login', { body: who }));
    const role: components['schemas']['UserViewDto']['role'] = login.user.role;
    return { headers: { Authorization: 'Bearer ' + login.accessToken }, userId: login.user.id, role, workstationId: login.user.workstationId };
  };
  const clerk = await signIn(input.clerk);
  const staff = await signIn(input.staff);
  const mediator = await signIn(input.mediator);
  if (!clerk.workstationId) throw new Error('the clerk has no workstation');

  // Intake by the court (委派: assigned before filing).
  const created = ok('intake', await client.POST('/api/v1/cases', {
    headers: clerk.headers,
    body: {
      workstationId: clerk.workstationId,
      source: 'court_assigned',
      courtCaseNumber: '(2026)测0102民诉前调1号',
      disputeType: 'wage_arrears',
      summary: '拖欠三个月工资',
      claimAmount: '12500.00',
      applicant: { name: '张三', idNumber: '420102199001011234', phone: '13800000000' },
      respondent: { name: '某某建筑工程有限公司', creditCode: '91420100MA4K0000XX' },
      receivedAt: new Date(Date.now() - 3600_000).toISOString(),
    },
  }));
  const caseId: string = created.id;
  const caseNumber: string = created.caseNumber;
  let status: CaseStatus = created.status;
  const trail: CaseStatus[] = [status];
  // @ts-expect-error the generated types know the sources: a fax is not one
  const notASource: components['schemas']['CreateCaseDto']['source'] = 'fax';
  void notASource;

  // Assignment by union staff, from the suggestions.
  const suggestions = ok('suggestions', await client.GET('/api/v1/cases/{id}/mediator-suggestions', { headers: staff.headers, params: { path: { id: caseId } } }));
  if (!suggestions.some((s) => s.mediatorId === mediator.userId)) throw new Error('the mediator is not suggested');
  const assigned = ok('assign', await client.POST('/api/v1/cases/{id}/assign', {
    headers: staff.headers,
    params: { path: { id: caseId } },
    body: { mediatorId: mediator.userId, expectedVersion: created.version },
  }));
  trail.push((status = assigned.status));

  // A session held, then the agreement.
  const session = ok('session', await client.POST('/api/v1/cases/{id}/sessions', {
    headers: mediator.headers,
    params: { path: { id: caseId } },
    body: { scheduledAt: new Date(Date.now() - 1800_000).toISOString(), mode: 'onsite', location: '调解室' },
  }));
  ok('held', await client.PATCH('/api/v1/sessions/{id}', { headers: mediator.headers, params: { path: { id: session.id } }, body: { status: 'held' } }));
  const detail = ok('agreement', await client.POST('/api/v1/cases/{id}/agreement', {
    headers: mediator.headers,
    params: { path: { id: caseId } },
    body: { terms: '被申请人一次性支付拖欠工资人民币壹万元', agreedAmount: '10000.00', signedAt: new Date().toISOString(), installments: [] },
  }));
  trail.push((status = detail.status));
  const agreedAmount: string | undefined = detail.agreement?.agreedAmount;

  // The joint application for judicial confirmation.
  const requested = ok('confirmation request', await client.POST('/api/v1/cases/{id}/confirmation-request', {
    headers: mediator.headers,
    params: { path: { id: caseId } },
    body: {},
  }));
  trail.push((status = requested.status));

  // The clerk's queue.
  const queue = ok('queue', await client.GET('/api/v1/confirmations', { headers: clerk.headers, params: { query: { status: 'pending', pageSize: 100 } } }));
  const request = queue.items.find((item) => item.caseId === caseId);
  if (!request) throw new Error('the request is not in the clerk\\'s queue');
  // Before acceptance the court has 3 days to accept; the ruling's 15 days count from acceptance.
  const acceptanceDueDate: string | null = request.acceptanceDueDate;
  if (!acceptanceDueDate) throw new Error('a pending request has its acceptance due date');
  const accepted = ok('acceptance', await client.POST('/api/v1/confirmations/{id}/acceptance', { headers: clerk.headers, params: { path: { id: request.id } }, body: { decision: 'accepted', acceptanceNumber: '(2026)测0102民特受1号' } }));
  const rulingDueAt: string | null = accepted.rulingDueAt;
  if (!rulingDueAt) throw new Error('an accepted request has its ruling due date');

  // The ruling.
  const ruling = ok('ruling', await client.POST('/api/v1/confirmations/{id}/ruling', {
    headers: clerk.headers,
    params: { path: { id: request.id } },
    body: { decision: 'confirmed', rulingNumber: '(2026)测0102民特1号' },
  }));
  const finalCase = ok('case', await client.GET('/api/v1/cases/{id}', { headers: clerk.headers, params: { path: { id: caseId } } }));
  trail.push((status = finalCase.status));
  const events = ok('events', await client.GET('/api/v1/cases/{id}/events', { headers: clerk.headers, params: { path: { id: caseId } } }));

  process.stdout.write(JSON.stringify({
    caseNumber,
    trail,
    agreedAmount,
    rulingDueAt,
    confirmation: { status: ruling.status, rulingNumber: ruling.rulingNumber },
    idNumber: finalCase.applicant.idNumber,
    eventTypes: events.map((e) => e.type),
  }));
}

main(JSON.parse(process.argv[2]) as Input).catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.message : e) + '\\n');
  process.exit(1);
});
`;
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    noUnusedLocals: true,
    types: ['node'],
    lib: ['ES2022', 'DOM'],
  },
  files: ['walk.mts', 'schema.d.ts'],
};

describe('OpenAPI document: a typed client generated from it (e2e)', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let dir: string;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    doc = await fetchOpenApiDocument(t);
    // Inside the project (test/artifacts is ignored by git), so that the program resolves openapi-fetch from node_modules.
    mkdirSync(join(ROOT, 'test/artifacts'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'test/artifacts/openapi-client-'));
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
    await run(process.execPath, [OPENAPI_TYPESCRIPT_BIN, join(dir, 'openapi.json'), '-o', join(dir, 'schema.d.ts')], { cwd: ROOT });
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('generates the client with openapi-typescript, type-checks the walk from intake to ruling, and runs it against the app', async () => {
    const schema = readFileSync(join(dir, 'schema.d.ts'), 'utf8');
    expect(schema).toContain('"/api/v1/cases/{id}/agreement"');
    // No answer of any operation is untyped (openapi-typescript writes `content?: never` for a response
    // without a schema): only a 204 No Content may have none.
    const lines = schema.split('\n');
    const untyped = lines.flatMap((line, i) => {
      if (!line.includes('content?: never')) return [];
      const status = lines.slice(0, i).reverse().find((l) => /^\s*(\d{3}|default): \{/.test(l));
      return status?.trim().startsWith('204:') ? [] : [`${status?.trim()} (line ${i + 1})`];
    });
    expect(untyped).toEqual([]);

    const program = walkProgram();
    expect(await typeCheck(dir, program)).toBe('');

    // The same program, run: type-only imports vanish, openapi-fetch comes from node_modules.
    const js = ts.transpileModule(program, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    writeFileSync(join(dir, 'walk.mjs'), js);
    const team = await makeWorkstationTeam(t);
    await makeUser(t, Role.Mediator, team.ws.id); // a colleague: the suggestions are a real choice
    const cred = (u: { username: string }) => ({ username: u.username, password: TEST_PASSWORD });
    const out = await run(process.execPath, [join(dir, 'walk.mjs'), JSON.stringify({ baseUrl, clerk: cred(team.clerk), staff: cred(team.staff), mediator: cred(team.mediator) })], {
      cwd: dir,
    }).catch((e: { stderr?: string }) => {
      throw new Error(`the walk failed: ${e.stderr}`);
    });
    const result = JSON.parse(out.stdout);
    expect(result).toMatchObject({
      caseNumber: expect.stringMatching(new RegExp(`^${team.ws.code}-\\d{4}-\\d{6}$`)),
      trail: ['registered', 'assigned', 'agreement_reached', 'confirmation_requested', 'confirmed'],
      agreedAmount: '10000.00',
      rulingDueAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      confirmation: { status: 'confirmed', rulingNumber: '(2026)测0102民特1号' },
      idNumber: '420102199001011234',
    });
    expect(result.eventTypes).toEqual(expect.arrayContaining(['case_registered', 'mediator_assigned', 'agreement_recorded', 'confirmation_requested', 'confirmation_confirmed']));
  });

  it('does not compile a program that misuses the generated types', async () => {
    // The check above is real: the same client rejects a wrong body and a field the answer does not have.
    const bad = `import createClient from 'openapi-fetch';
import type { paths } from './schema';
const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:1' });
export async function misuse(): Promise<string> {
  const r = await client.POST('/api/v1/cases/{id}/assign', { params: { path: { id: 'x' } }, body: { mediator: 'x' } });
  return r.data ? r.data.caseNumbr : '';
}
`;
    const output = await typeCheck(dir, bad);
    expect(output).toMatch(/walk\.mts.*error TS\d+/);
    expect(output).toContain('caseNumbr');
    expect(output).toContain('mediator');
  });
});
