import { ApiHeader, ApiParam } from '@nestjs/swagger';

/** A path parameter that is a UUID (400 when it is not one). */
export const ApiUuidParam = (name: string, description: string) => ApiParam({ name, type: String, format: 'uuid', description });

/** The optimistic-concurrency header of every case mutation (see src/common/expected-version.ts). */
export const ApiIfMatch = () =>
  ApiHeader({ name: 'If-Match', required: false, description: 'the case version you last saw, e.g. `3` or `"3"` (alternative to expectedVersion); 409 when stale' });
