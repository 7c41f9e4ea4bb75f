import { request as httpRequest, type ClientRequest } from 'node:http';

/** A request the server has begun and not answered: a login whose body never arrives whole (destroy it to end it). */
export function holdRequest(port: number): ClientRequest {
  const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
  req.on('error', () => undefined);
  req.write('{"username":');
  return req;
}

/** Waits up to 5 s for `condition`, then asserts it. */
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
