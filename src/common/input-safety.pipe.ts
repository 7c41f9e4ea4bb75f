import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Deeper than any of our DTOs will ever nest; beyond it class-transformer would recurse without end. */
export const MAX_INPUT_DEPTH = 16;

/** Keys that class-transformer silently drops (so the whitelist never sees them) and that could pollute prototypes. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Runs before validation on bodies and query strings: rejects input nested deeper than
 * MAX_INPUT_DEPTH, strings containing NUL (PostgreSQL text cannot hold it) and the keys
 * `__proto__`, `constructor` and `prototype` (else dropped without a word, as no other unknown
 * field is). Iterative, so a body nested ten thousand levels deep costs a loop, not the stack.
 */
@Injectable()
export class InputSafetyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const problem = findUnsafe(value);
    if (problem) throw new BadRequestException({ message: `${problem.field}: ${problem.message}`, details: [{ field: problem.field, problems: [problem.message] }] });
    return value;
  }
}

export function findUnsafe(root: unknown): { field: string; message: string } | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: path || '(body)', message: 'must not contain NUL characters' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: path || '(body)', message: `is nested too deeply (more than ${MAX_INPUT_DEPTH} levels)` };
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { field: childPath, message: 'field names must not contain NUL characters' };
      if (FORBIDDEN_KEYS.has(key)) return { field: childPath, message: 'is not an allowed field name' };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}
