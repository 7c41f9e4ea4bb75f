import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fetchOpenApiDocument, HTTP_METHODS, OpenApiDocument } from './utils/openapi';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '..');
const REDOCLY_BIN = require.resolve('@redocly/cli/bin/cli.js');
/** The operations anyone may call without a token. */
const PUBLIC_OPERATIONS = ['POST /api/v1/auth/login', 'GET /health', 'GET /health/ready'];

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}

/** The live document (from /docs-json of a test app), linted by Redocly with the recommended ruleset (redocly.yaml), offline. */
describe('OpenAPI document: lint and completeness (e2e)', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    doc = await fetchOpenApiDocument(t);
    dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('passes `redocly lint` with the recommended ruleset: no error', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const run = await promisify(execFile)(process.execPath, [REDOCLY_BIN, 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format=json'], {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 32 * 1024 * 1024,
    }).catch((e: { stdout?: string; stderr?: string; code?: number }) => {
      // redocly exits 1 when it finds errors; the report is still on stdout.
      if (!e.stdout) throw new Error(`redocly failed: ${e.code} ${e.stderr}`);
      return { stdout: e.stdout, stderr: e.stderr ?? '' };
    });
    const report = JSON.parse(run.stdout) as LintReport;
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('gives every operation a summary, a description, a tag, a success schema, its errors in the one error shape, and its security', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!op) continue;
        const key = `${method.toUpperCase()} ${path}`;
        if (!op.summary) problems.push(`${key}: no summary`);
        if (!op.description) problems.push(`${key}: no description`);
        if (!op.tags?.length) problems.push(`${key}: no tag`);
        const statuses = Object.keys(op.responses);
        const success = statuses.filter((s) => s.startsWith('2'));
        if (!success.length) problems.push(`${key}: no success response`);
        for (const s of success) {
          const content = op.responses[s].content;
          if (!content || !Object.values(content).every((m) => m.schema)) problems.push(`${key}: ${s} has no schema`);
        }
        const errors = statuses.filter((s) => /^[45]/.test(s));
        if (!errors.length && !PUBLIC_OPERATIONS.includes(key)) problems.push(`${key}: no error response`);
        for (const s of errors) {
          const schema = op.responses[s].content?.['application/json']?.schema;
          if (key !== 'GET /health/ready' && schema?.$ref !== '#/components/schemas/ErrorResponseDto') problems.push(`${key}: ${s} is not the error shape`);
        }
        if (PUBLIC_OPERATIONS.includes(key)) {
          if (!op.security || op.security.length) problems.push(`${key}: public, so security must be []`);
        } else {
          if (!op.security?.some((s) => 'bearer' in s)) problems.push(`${key}: no bearer security`);
          if (!errors.includes('401')) problems.push(`${key}: 401 not documented`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('serves Swagger UI at /docs and the document outside the API prefix', async () => {
    const ui = await t.http.get('/docs').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    expect(doc.paths['/health']).toBeDefined();
    expect(doc.paths['/health/ready']).toBeDefined();
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('documents the CSV export as text/csv and the intake fields as they are validated', () => {
    expect(Object.keys(doc.paths['/api/v1/cases/export.csv'].get.responses['200'].content ?? {})).toEqual(['text/csv']);
    const intake = doc.components.schemas.CreateCaseDto;
    expect(intake.required).not.toContain('workerCount');
    expect(intake.required).toEqual(expect.arrayContaining(['workstationId', 'source', 'disputeType', 'summary', 'claimAmount', 'applicant', 'respondent']));
    expect(intake.properties.workerCount).toMatchObject({ type: 'integer', minimum: 1 });
  });

  it('gives no optional request body field a `default` (openapi-typescript would type it as required)', () => {
    const bodies = new Set<string>();
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        const ref = (op as { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }).requestBody?.content?.['application/json']?.schema?.$ref;
        if (ref) bodies.add(ref.replace('#/components/schemas/', ''));
      }
    }
    expect(bodies.has('CreateCaseDto')).toBe(true);
    const withDefaults: string[] = [];
    const visit = (name: string, schema: Record<string, any>) => {
      for (const [prop, p] of Object.entries<Record<string, any>>(schema.properties ?? {})) {
        if (p.default !== undefined && !(schema.required ?? []).includes(prop)) withDefaults.push(`${name}.${prop}`);
        if (p.$ref) visit(p.$ref.replace('#/components/schemas/', ''), doc.components.schemas[p.$ref.replace('#/components/schemas/', '')]);
        if (p.items?.$ref) visit(p.items.$ref.replace('#/components/schemas/', ''), doc.components.schemas[p.items.$ref.replace('#/components/schemas/', '')]);
      }
    };
    for (const name of bodies) visit(name, doc.components.schemas[name]);
    expect(withDefaults).toEqual([]);
  });
});
