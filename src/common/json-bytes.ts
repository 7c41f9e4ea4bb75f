import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * A response schema's JSON written straight into one Buffer, for an answer of many small figures
 * (the five-year statistics timeseries: 60 points of 16 fields, some 19 KB).
 *
 * Why (issue 17): Fastify's fast-json-stringify builds such an answer by string concatenation (a
 * rope of some thousands of pieces, a string for each number) which utf8Answers then flattens into
 * bytes: about 100 KB of garbage a request, a third of all a timeseries request allocates. Under 50
 * concurrent requests that garbage made V8's young generation fill every ~40 ms, so the requests
 * waiting for a database connection were promoted to the old generation and collected there, at
 * about ten times the cost (timeseries CPU 1,100-1,200 µs a request against the floor's 700; with
 * the answer's bytes given, 680). Here the keys are copied from Buffers made once, strings and
 * integers are written byte by byte; what is written lives outside V8's heap.
 *
 * The output is what fast-json-stringify (and JSON.stringify, as the stats answer schemas are kept)
 * writes for the schema, byte for byte. A value it cannot write so (a string with a character that
 * JSON escapes or that is not ASCII, a number where a string belongs...) makes it return null: the
 * caller then writes the answer the usual way.
 *
 * The schema subset: an object of properties that are `string`, `number` (either nullable) or an
 * array of objects of such strings and numbers.
 */
export type JsonBytesWriter = (value: unknown) => Buffer | null;

type Kind = 'string' | 'number' | 'array';

interface Property {
  key: string;
  /** `"key":` preceded by `{` (the first property) or `,`. */
  prefix: Buffer;
  kind: Kind;
  nullable: boolean;
  /** The items' writer of an array property. */
  items?: ObjectWriter;
}

interface ObjectWriter {
  properties: Property[];
  /** The most bytes one object writes, its arrays apart (strings up to MAX_STRING characters). */
  maxBytes: number;
}

/** Longer strings than this make the writer give up (the answers it serves hold dates, ids and amounts). */
const MAX_STRING = 64;
/** The longest a number is written (String(-Number.MAX_VALUE) is 23 characters). */
const MAX_NUMBER = 24;

interface SchemaNode {
  type?: string | readonly string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** The writer of an object schema; throws for a schema outside the subset (a programming error, met at start). */
export function jsonBytesWriter(schema: SchemaNode): JsonBytesWriter {
  const root = objectWriter(schema, true);
  return (value) => {
    const out = new Output(root.maxBytes + arraysBytes(root, value));
    return writeObject(root, value, out) ? out.bytes() : null;
  };
}

/**
 * An object's writer. Arrays only at the top (`withArrays`): the output's size is reckoned from the
 * top's arrays alone (arraysBytes), and the `{` comes with the first property, so there must be one.
 */
function objectWriter(schema: SchemaNode, withArrays: boolean): ObjectWriter {
  if (schema.type !== 'object' || !schema.properties || !Object.keys(schema.properties).length) throw new Error('jsonBytesWriter: an object schema with properties is needed');
  let maxBytes = 2;
  const properties = Object.entries(schema.properties).map(([key, node], i): Property => {
    const types = Array.isArray(node.type) ? node.type : [node.type];
    const nullable = types.includes('null');
    const kind = types.find((t) => t !== 'null');
    if (kind !== 'string' && kind !== 'number' && !(kind === 'array' && withArrays)) throw new Error(`jsonBytesWriter: ${key} is ${String(node.type)}`);
    if (!/^[A-Za-z0-9_]+$/.test(key)) throw new Error(`jsonBytesWriter: the key ${key} would need escaping`);
    const prefix = Buffer.from(`${i === 0 ? '{' : ','}"${key}":`, 'latin1');
    maxBytes += prefix.length + (kind === 'string' ? MAX_STRING + 2 : kind === 'number' ? MAX_NUMBER : 2);
    return { key, prefix, kind, nullable, items: kind === 'array' ? objectWriter(node.items ?? {}, false) : undefined };
  });
  return { properties, maxBytes };
}

/** The bytes the arrays of `value` may take (their items' maxBytes each, a comma between two). */
function arraysBytes(writer: ObjectWriter, value: unknown): number {
  let n = 0;
  if (value === null || typeof value !== 'object') return 0;
  for (const p of writer.properties) {
    const items = (value as Record<string, unknown>)[p.key];
    if (p.items && Array.isArray(items)) n += items.length * (p.items.maxBytes + 1);
  }
  return n;
}

class Output {
  readonly buffer: Buffer;
  at = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.at);
  }

  put(bytes: Buffer): void {
    this.at += bytes.copy(this.buffer, this.at);
  }

  byte(code: number): void {
    this.buffer[this.at++] = code;
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const NULL = Buffer.from('null', 'latin1');

function writeObject(writer: ObjectWriter, value: unknown, out: Output): boolean {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  for (const p of writer.properties) {
    const v = record[p.key];
    // fast-json-stringify leaves out a property that is not there; the answers served have them all.
    if (v === undefined) return false;
    out.put(p.prefix);
    if (v === null) {
      if (!p.nullable) return false;
      out.put(NULL);
    } else if (p.kind === 'string') {
      if (typeof v !== 'string' || !writeString(v, out)) return false;
    } else if (p.kind === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      writeNumber(v, out);
    } else {
      if (!Array.isArray(v) || !writeArray(p.items!, v, out)) return false;
    }
  }
  out.byte(0x7d); // }
  return true;
}

function writeArray(items: ObjectWriter, values: unknown[], out: Output): boolean {
  out.byte(0x5b); // [
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out.byte(COMMA);
    if (!writeObject(items, values[i], out)) return false;
  }
  out.byte(0x5d); // ]
  return true;
}

/** A string of printable ASCII without `"` or `\` (which JSON writes as it is); false for any other. */
function writeString(s: string, out: Output): boolean {
  if (s.length > MAX_STRING) return false;
  out.byte(QUOTE);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === 0x5c) return false;
    out.byte(c);
  }
  out.byte(QUOTE);
  return true;
}

/** As JSON writes a finite number: a non-negative safe integer digit by digit (no string made), any other as String() writes it. */
function writeNumber(n: number, out: Output): void {
  if (Number.isSafeInteger(n) && n >= 0) {
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    let at = out.at + digits;
    out.at = at;
    do {
      out.buffer[--at] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
    return;
  }
  out.at += out.buffer.write(String(n), out.at, 'latin1');
}

/**
 * Gives the routes whose 200 answer has one of `schemas` (the same object, as @RouteSchema passes
 * it) jsonBytesWriter's serializer instead of fast-json-stringify's; an answer it cannot write is
 * written by JSON.stringify, which the schemas served here agree with (their properties in the
 * answer's order). Before the routes are registered (Nest registers them at init).
 */
export function jsonBytesAnswers(fastify: FastifyInstance, schemas: readonly object[]): void {
  const writers = new Map(schemas.map((schema) => [schema, jsonBytesWriter(schema as SchemaNode)]));
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const ok = (route.schema?.response as Record<string, unknown> | undefined)?.[200];
    const write = ok ? writers.get(ok) : undefined;
    if (!write) return;
    // Only the 200 answer has a schema on these routes, so only it is compiled with this.
    route.serializerCompiler = () => (data: unknown) => (write(data) ?? JSON.stringify(data)) as unknown as string;
  });
}
