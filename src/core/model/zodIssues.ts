import type { ZodError } from 'zod';

/** `connections[0].options.port` from a zod issue path, after an optional prefix. */
function fieldPath(path: readonly PropertyKey[], prefix: readonly (string | number)[] = []): string {
  const all = [...prefix, ...path.filter((p): p is string | number => typeof p !== 'symbol')];
  if (!all.length) return '(root)';
  return all.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

/** The first issue as `field.path: message`, the path starting at `prefix` (e.g. `options`). */
export function describeZodIssue(error: ZodError, ...prefix: (string | number)[]): string {
  const issue = error.issues[0];
  if (!issue) return `${fieldPath([], prefix)}: invalid`;
  return `${fieldPath(issue.path, prefix)}: ${issue.message}`;
}

/** `location: field.path: message`, for a whole file. */
export function describeZodError(error: ZodError, location: string): string {
  return `${location}: ${describeZodIssue(error)}`;
}
