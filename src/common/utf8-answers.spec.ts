import Fastify, { FastifyInstance } from 'fastify';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UTF8_ANSWER_MIN_CHARS, utf8Answers } from './utf8-answers';

const page = { items: Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, summary: '申请人主张被申请人拖欠3个月工资，要求支付工资及经济补偿', receivedAt: '2026-11-29T03:15:31.123Z' })), total: 40 };
const small = { ok: true, name: '张三' };

async function server(withHook: boolean): Promise<FastifyInstance> {
  const app = Fastify();
  let payloadType = '';
  if (withHook) utf8Answers(app);
  app.addHook('onSend', (_req, reply, payload, done) => {
    payloadType = Buffer.isBuffer(payload) ? 'buffer' : typeof payload;
    reply.header('x-payload-type', payloadType);
    done(null, payload);
  });
  app.get('/page', async () => page);
  app.get('/small', async () => small);
  app.get('/text', async (_req, reply) => reply.type('text/plain; charset=utf-8').send('案'.repeat(UTF8_ANSWER_MIN_CHARS)));
  app.post('/page', async () => page);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

function ask(app: FastifyInstance, method: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('utf8Answers', () => {
  let plain: FastifyInstance;
  let hooked: FastifyInstance;
  beforeAll(async () => {
    [plain, hooked] = await Promise.all([server(false), server(true)]);
  });
  afterAll(async () => {
    await Promise.all([plain.close(), hooked.close()]);
  });

  it.each([
    ['GET', '/page', 'buffer'],
    ['HEAD', '/page', 'string'],
    ['GET', '/small', 'string'],
    ['GET', '/text', 'buffer'],
    ['POST', '/page', 'string'],
  ])('%s %s: the same status, headers and bytes (written as a %s)', async (method, path, written) => {
    const [a, b] = await Promise.all([ask(plain, method, path), ask(hooked, method, path)]);
    const { date: _da, 'x-payload-type': ta, ...ha } = a.headers;
    const { date: _db, 'x-payload-type': tb, ...hb } = b.headers;
    expect(b.status).toBe(a.status);
    expect(hb).toEqual(ha);
    expect(b.body.equals(a.body)).toBe(true);
    expect(ta).toBe('string');
    expect(tb).toBe(written);
  });

  it('answers a large page with its JSON as UTF-8', async () => {
    const b = await ask(hooked, 'GET', '/page');
    expect(b.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(b.body.toString('utf8')).toBe(JSON.stringify(page));
    expect(Number(b.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(page)));
  });
});
