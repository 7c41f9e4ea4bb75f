import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { TestApp } from './test-app';

/** The OpenAPI document the app publishes at /docs-json (what clients generate their code from). */
export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, SchemaObject> };
  [key: string]: unknown;
};
export type OpenApiOperation = {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  tags?: string[];
  responses: Record<string, { description: string; content?: Record<string, { schema?: SchemaObject }> }>;
  [key: string]: unknown;
};
type SchemaObject = Record<string, any>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export async function fetchOpenApiDocument(t: TestApp): Promise<OpenApiDocument> {
  const res = await t.http.get('/docs-json');
  if (res.status !== 200) throw new Error(`/docs-json answered ${res.status}`);
  return res.body as OpenApiDocument;
}

/** Every operation of the document as `METHOD /path`. */
export function operationKeys(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => (HTTP_METHODS as readonly string[]).includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

/**
 * An OpenAPI 3.0 schema object as JSON Schema for ajv: `nullable` becomes a null alternative, and
 * (strict mode) an object that lists its properties admits no others, so that an answer carrying
 * an undocumented field fails as surely as one missing a documented field.
 */
export function toJsonSchema(schema: SchemaObject, strict: boolean): SchemaObject {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, strict));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value as SchemaObject).map(([k, v]) => [k, toJsonSchema(v, strict)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = typeof value === 'object' ? toJsonSchema(value, strict) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as SchemaObject[]).map((s) => toJsonSchema(s, strict));
    } else {
      out[key] = value;
    }
  }
  if (strict && out.properties && out.additionalProperties === undefined && !out.allOf && !out.anyOf && !out.oneOf) out.additionalProperties = false;
  if (schema.nullable === true) {
    if (typeof out.type === 'string' && !out.allOf && !out.anyOf && !out.oneOf && !out.$ref) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

export interface ResponseCheck {
  /** What was checked, e.g. `GET /api/v1/cases/{id} 200`. */
  key: string;
  errors: string[];
}

/**
 * Validates real answers against the schema the document gives for their operation and status.
 * An answer whose status the operation does not document, or whose media type differs, is an error too.
 */
export class OpenApiResponseValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly doc: OpenApiDocument,
    options: { strict?: boolean } = {},
  ) {
    const strict = options.strict ?? true;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    const schemas = Object.fromEntries(Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => [name, toJsonSchema(s, strict)]));
    this.ajv.addSchema({ $id: 'openapi.json', components: { schemas } });
    this.strict = strict;
  }

  private readonly strict: boolean;

  operation(method: string, path: string): OpenApiOperation {
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`the document has no operation ${method.toUpperCase()} ${path}`);
    return op;
  }

  check(method: string, path: string, res: { status: number; body: unknown; text?: string; headers: Record<string, string | string[] | undefined> }): ResponseCheck {
    const key = `${method.toUpperCase()} ${path} ${res.status}`;
    const op = this.operation(method, path);
    const response = op.responses[String(res.status)];
    if (!response) return { key, errors: [`status ${res.status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`] };
    const contentType = String(res.headers['content-type'] ?? '').split(';')[0].trim();
    if (!response.content) {
      return { key, errors: contentType && res.body !== undefined && res.body !== '' && JSON.stringify(res.body) !== '{}' ? [`no content documented, got ${contentType}`] : [] };
    }
    const media = response.content[contentType];
    if (!media) return { key, errors: [`media type ${contentType} is not documented (documented: ${Object.keys(response.content).join(', ')})`] };
    if (!media.schema) return { key, errors: ['no schema documented'] };
    const validate = this.validator(`${key} ${contentType}`, media.schema);
    // supertest parses JSON only; any other media type is checked as its text.
    const body = contentType === 'application/json' ? res.body : res.text;
    return validate(body) ? { key, errors: [] } : { key, errors: formatErrors(validate.errors) };
  }

  private validator(key: string, schema: SchemaObject): ValidateFunction {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(rebase(toJsonSchema(schema, this.strict)));
      this.compiled.set(key, v);
    }
    return v;
  }
}

/** `#/components/schemas/X` refs of an operation's schema point into the registered document. */
function rebase(schema: SchemaObject): SchemaObject {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi.json${v}` : rebase(v)]),
  );
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}
