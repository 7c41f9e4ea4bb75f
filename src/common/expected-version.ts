import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { invalidInput } from './errors/domain-error';

/**
 * The case version a client expects: `expectedVersion` in the body, or the If-Match header
 * (`3`, `"3"` or `W/"3"`). Undefined when neither is sent.
 */
export const ExpectedVersion = createParamDecorator((_: unknown, ctx: ExecutionContext): number | undefined => {
  const req = ctx.switchToHttp().getRequest();
  const fromBody = req.body?.expectedVersion;
  const header: unknown = req.headers?.['if-match'];
  if (typeof header === 'string' && header.length) {
    const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
    if (!m) throw invalidInput('If-Match must be a case version such as "3"', { field: 'If-Match' });
    const fromHeader = Number(m[1]);
    if (typeof fromBody === 'number' && fromBody !== fromHeader) throw invalidInput('expectedVersion and If-Match disagree', { field: 'expectedVersion' });
    return fromHeader;
  }
  return typeof fromBody === 'number' ? fromBody : undefined;
});
