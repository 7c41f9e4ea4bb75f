import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { HeavyReadsInterceptor } from './heavy-reads.interceptor';
import { HEAVY_READ, HeavyReadChoice, HeavyReadKind } from './heavy-reads';

/**
 * The route is a heavy read (heavy-reads.ts): each user runs only a few at once, and the instance a
 * few in all. A kind, or a function that picks it from the query (the case list is a search only
 * with `q`). Route-scoped, so that the other routes do not pay for it.
 */
export const HeavyRead = (kind: HeavyReadKind | HeavyReadChoice) =>
  applyDecorators(SetMetadata(HEAVY_READ, typeof kind === 'function' ? kind : () => kind), UseInterceptors(HeavyReadsInterceptor));
