import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { Writable } from 'node:stream';
import { bindToRequestLog, runInRequestLogContext } from './request-log-context';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const root = pino({ level: 'info', base: null, timestamp: false }, stream);
  return { root, lines };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('request log context', () => {
  // PinoLogger reads nestjs-pino's context, which this module reaches into: fails if the package moves it.
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });

  it('gives lines logged through PinoLogger the request bindings, then the user named later', async () => {
    const { root, lines } = capture();
    const req = { id: 'r1', method: 'GET', url: '/api/v1/cases' };
    runInRequestLogContext(root, { req }, () => {
      logger.info('before the guard');
      expect(bindToRequestLog({ userId: 'u1', user: 'alice' })).toBe(true);
      logger.warn('after the guard');
    });
    await flush();
    expect(lines).toEqual([
      { level: 30, req, msg: 'before the guard' },
      { level: 40, req, userId: 'u1', user: 'alice', msg: 'after the guard' },
    ]);
  });

  it('makes no child logger while nothing is logged, the same lines as eager children when something is', async () => {
    const { root, lines } = capture();
    const child = jest.spyOn(root, 'child');
    runInRequestLogContext(root, { req: { id: 'r2' } }, () => bindToRequestLog({ userId: 'u2', user: 'bob' }));
    expect(child).not.toHaveBeenCalled();
    runInRequestLogContext(root, { req: { id: 'r3' } }, () => {
      bindToRequestLog({ userId: 'u3', user: 'carol' });
      logger.info('lazy');
    });
    root
      .child({ req: { id: 'r3' } })
      .child({ userId: 'u3', user: 'carol' })
      .info('lazy');
    await flush();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual(lines[1]);
  });

  it('leaves contexts it did not make to PinoLogger.assign', () => {
    expect(bindToRequestLog({ userId: 'u4' })).toBe(false);
    logger.runInContext(() => expect(bindToRequestLog({ userId: 'u4' })).toBe(false), { bindings: { job: 'x' } });
  });
});
