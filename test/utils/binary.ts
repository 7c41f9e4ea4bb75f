import type { Response } from 'supertest';
import { bearer, TestUser } from './factories';
import type { TestApp } from './test-app';

/** A response whose body is the raw bytes (a PDF, a spreadsheet, a CSV, an attachment). */
export type BinaryResponse = Omit<Response, 'body'> & { body: Buffer };

/** GET `/api/v1${path}` as `user`, with the body collected as bytes whatever its content type. */
export async function getBinary(t: TestApp, user: TestUser, path: string, query: Record<string, string> = {}): Promise<BinaryResponse> {
  const res = await t.http
    .get(`/api/v1${path}`)
    .query(query)
    .set(bearer(user))
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return res as BinaryResponse;
}
