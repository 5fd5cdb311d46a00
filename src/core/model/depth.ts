/**
 * How deeply a JSON value nests, measured without recursion (a value nested thousands deep must not overflow
 * the stack of the code that checks it). Code that walks definitions and JSON Schemas recursively (validation,
 * codegen, the fingerprint) is safe below the limit callers pass here.
 */
export const MAX_NESTING = 64;

/** The path to the first array or object nested deeper than `limit` levels, or undefined when none is. */
export function tooDeep(value: unknown, limit = MAX_NESTING): (string | number)[] | undefined {
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: value, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (path.length >= limit) return path;
    if (Array.isArray(node)) node.forEach((v, i) => stack.push({ node: v, path: [...path, i] }));
    else for (const [k, v] of Object.entries(node as Record<string, unknown>)) stack.push({ node: v, path: [...path, k] });
  }
  return undefined;
}
